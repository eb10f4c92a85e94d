// name: hidden-facts-count
// description: How many handling C links a user of one agency may not see (their originating agency is another, or unknown): a console that would show them is refused to that user.
// params: agency
// mode: read
MATCH ()-[r]->()
WHERE r.handling = 'C' AND (r.originating_agency IS NULL OR r.originating_agency <> $agency)
RETURN count(r) AS n
