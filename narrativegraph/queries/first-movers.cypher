// name: first-movers
// description: Outlets by how often they carried a narrative first: narratives carried, carried first, first-mover and amplifier scores, and influence in the echo network.
// params: limit (int, default 20)
MATCH (o:Outlet)
WHERE o.narratives_carried > 0
RETURN o.name AS outlet, o.id AS outlet_id, o.narratives_carried AS narratives, o.narratives_first AS first,
       o.first_mover_score AS first_mover_score, o.amplifier_score AS amplifier_score,
       o.echo_influence AS echo_influence
ORDER BY first_mover_score DESC, narratives DESC, outlet_id
LIMIT $limit
