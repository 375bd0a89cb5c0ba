-- params: river, township, upto
-- Year-to-date values per section and year (January to month $upto of every year): the annual mean of a
-- factor is the mean of its monthly values (docs/DOMAIN.md §5) — a month without that factor does not count.
SELECT
    s.section_id,
    s.name AS section_name,
    s.river_id,
    r.name AS river_name,
    s.water_body,
    s.target_class,
    CAST(year(m.month) AS INTEGER) AS year,
    CAST(count(*) AS INTEGER) AS months,
    CAST(count(m.tp) AS INTEGER) AS tp_months,
    CAST(count(m.nh3n) AS INTEGER) AS nh3n_months,
    avg(m.tp) AS tp,
    avg(m.nh3n) AS nh3n,
    avg(m.codmn) AS codmn,
    avg(m."do") AS "do"
FROM scoped_sections($township, $river) AS s
JOIN rivers AS r USING (river_id)
JOIN readings_monthly AS m ON m.section_id = s.section_id
WHERE month(m.month) <= $upto
GROUP BY ALL
ORDER BY s.section_id, year
