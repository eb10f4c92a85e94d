// name: store-version
// description: The store version: the sequence number and id of the latest load run recorded (no row for a store nothing was loaded into).
// params:
// mode: read
MATCH (r:LoadRun)
RETURN r.seq AS seq, r.id AS run
ORDER BY seq DESC
LIMIT 1
