// name: network-delete
// description: Delete a generic network's actors and their links (a network is replaced whole when loaded again).
// params: name
// mode: write
MATCH (n:Actor)
WHERE n.network = $name
DETACH DELETE n
