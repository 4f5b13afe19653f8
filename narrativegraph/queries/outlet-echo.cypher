// name: outlet-echo
// description: The echo network: outlet B echoes outlet A when B carried narratives on a later day than A, or B's articles credit A ("h/t", "first reported by", "told"); how many narratives, the median lag in days, and how many of B's articles credit A.
// params: outlet (outlet, optional), limit (int, default 100)
MATCH (b:Outlet)-[e:ECHOES]->(a:Outlet)
WHERE $outlet IS NULL OR a.id = $outlet OR b.id = $outlet
RETURN b.name AS outlet, a.name AS echoes, e.narratives AS narratives, e.median_lag_days AS median_lag_days,
       coalesce(e.credits, 0) AS credits, b.id AS outlet_id, a.id AS echoes_id
ORDER BY narratives DESC, credits DESC, outlet_id, echoes_id
LIMIT $limit
