-- Monthly means and classes per section (built at publish time), with the section's water body.
SELECT m.*, s.name AS section_name, s.water_body, s.target_class
FROM readings_monthly AS m
JOIN sections AS s USING (section_id)
ORDER BY section_id, month
