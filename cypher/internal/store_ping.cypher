// name: store-ping
// description: Whether the store answers at all (health check; touches no data).
// params:
// mode: read
RETURN 1 AS ok
