-- params: readings
-- Monthly mean of each factor per section, built once at publish time.
-- Below-detection results (flag *_bdl) enter the mean at half the detection limit (docs/DOMAIN.md §5).
SELECT
    section_id,
    CAST(date_trunc('month', sampled_at) AS DATE) AS month,
    CAST(count(*) AS INTEGER) AS n,
    avg(CASE WHEN tp_bdl THEN tp / 2 ELSE tp END) AS tp,
    avg(CASE WHEN nh3n_bdl THEN nh3n / 2 ELSE nh3n END) AS nh3n,
    avg(CASE WHEN codmn_bdl THEN codmn / 2 ELSE codmn END) AS codmn,
    avg("do") AS "do",
    CAST(count(*) FILTER (WHERE tp_bdl) AS INTEGER) AS tp_bdl_n,
    CAST(count(*) FILTER (WHERE nh3n_bdl) AS INTEGER) AS nh3n_bdl_n
FROM read_parquet($readings)
GROUP BY ALL
ORDER BY section_id, month
