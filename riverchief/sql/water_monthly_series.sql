-- params: river, township
-- Monthly means and classes of every section in scope, for trends and attainment over time.
SELECT
    m.section_id,
    s.name AS section_name,
    s.river_id,
    r.name AS river_name,
    s.water_body,
    s.target_class,
    m.month,
    m.n,
    m.tp,
    m.nh3n,
    m.tp_bdl_n,
    m.nh3n_bdl_n,
    m.tp_class,
    m.nh3n_class,
    m.water_class
FROM scoped_sections($township, $river) AS s
JOIN rivers AS r USING (river_id)
JOIN readings_monthly AS m ON m.section_id = s.section_id
ORDER BY m.section_id, m.month
