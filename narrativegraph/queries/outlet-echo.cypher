// name: outlet-echo
// description: The echo network: outlet B echoes outlet A when B carried narratives on a later day than A; how many narratives and the median lag in days.
// params: outlet (outlet, optional), limit (int, default 100)
MATCH (b:Outlet)-[e:ECHOES]->(a:Outlet)
WHERE $outlet IS NULL OR a.id = $outlet OR b.id = $outlet
RETURN b.name AS outlet, a.name AS echoes, e.narratives AS narratives, e.median_lag_days AS median_lag_days,
       b.id AS outlet_id, a.id AS echoes_id
ORDER BY narratives DESC, outlet_id, echoes_id
LIMIT $limit
