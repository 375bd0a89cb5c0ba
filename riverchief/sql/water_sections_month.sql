-- params: month, river, township
-- Each monitoring section's result for the chosen month, with the same month a year earlier.
SELECT
    s.section_id,
    s.name AS section_name,
    s.river_id,
    r.name AS river_name,
    s.township_id,
    t.name AS township_name,
    s.water_body,
    s.target_class,
    s.control_level,
    s.lon,
    s.lat,
    m.n,
    m.tp,
    m.nh3n,
    m.codmn,
    m."do",
    m.tp_bdl_n,
    m.nh3n_bdl_n,
    m.tp_class,
    m.nh3n_class,
    m.codmn_class,
    m.do_class,
    m.water_class,
    m.tp_src,
    m.nh3n_src,
    m.tp_n,
    m.nh3n_n,
    p.water_class AS last_year_class,
    p.tp AS last_year_tp,
    p.nh3n AS last_year_nh3n
FROM scoped_sections($township, $river) AS s
JOIN rivers AS r USING (river_id)
LEFT JOIN townships AS t ON t.township_id = s.township_id
LEFT JOIN readings_monthly AS m ON m.section_id = s.section_id AND m.month = $month
LEFT JOIN readings_monthly AS p ON p.section_id = s.section_id AND p.month = CAST($month - INTERVAL 1 YEAR AS DATE)
ORDER BY m.water_class DESC NULLS LAST, s.section_id
