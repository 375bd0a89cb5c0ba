-- params: none
-- The months with water readings: what the water and map pages can open on before any list is imported.
SELECT DISTINCT month FROM readings_monthly ORDER BY month
