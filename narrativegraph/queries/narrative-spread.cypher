// name: narrative-spread
// description: The outlets that carried a narrative, in the order they first did: date, lag in days after the first outlet, articles, and whether the outlet is an independent voice (not only copies or wire stories).
// params: id (narrative), limit (int, default 200)
MATCH (o:Outlet)-[r:CARRIED]->(n:Narrative {id: $id})
RETURN n.id AS narrative, r.rank AS rank, o.name AS outlet, r.first_seen AS first_seen,
       r.first_day AS first_day, r.lag_days AS lag_days, r.articles AS articles,
       r.first_article AS first_article, r.independent AS independent
ORDER BY coalesce(r.rank, 1000000000), outlet, o.id
LIMIT $limit
