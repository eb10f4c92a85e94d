// name: load-runs-since
// description: The load runs recorded after a store version (sequence number above seq), and the run that version named if it is still there.
// params: seq, run
// mode: read
MATCH (r:LoadRun)
WHERE r.seq > $seq OR r.id = $run
RETURN r.id AS run, r.seq AS seq, r.rewrite AS rewrite
ORDER BY seq
