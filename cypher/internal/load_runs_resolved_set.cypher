// name: load-runs-resolved-set
// description: Mark load runs as compared by identity resolution (their written Person records are in the candidates).
// params: runs
// mode: write
MATCH (r:LoadRun)
WHERE r.id IN $runs
SET r.resolved = true
RETURN count(r) AS marked
