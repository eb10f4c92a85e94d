// name: load-runs-unresolved
// description: The load runs whose written Person records identity resolution has not yet compared (no resolved mark: interrupted, failed, or recorded before the mark existed).
// params:
// mode: read
MATCH (r:LoadRun)
WHERE r.resolved IS NULL OR r.resolved = false
RETURN r.id AS run
ORDER BY r.seq
