-- 03_drop_nulls.sql — drop the rows with a missing value (na.drop("any")),
-- then run the error count again on the filtered stream: only `false` is
-- left. From here on every step reads the filtered stream, iot_filtered
-- (the lab's filterdDf).
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
-- Run:   sluice -f examples/lab/03_drop_nulls.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);

-- iot_filtered = iot_data.na.drop("any")
-- dropna(rel, 'any') drops a row when any column is NULL (or NaN);
-- dropna(rel, 'all') only when all are; dropna(rel, 'any', gt, User) looks
-- at the listed columns only (Spark's subset=[...]).
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- The same count as 02_error_count.sql, on the filtered stream.
START QUERY errorCount USING console OPTIONS (outputMode 'complete', trigger '3 seconds')
  AS SELECT CASE WHEN Device IS NULL AND `Index` IS NULL AND Model IS NULL
                      AND User IS NULL AND gt IS NULL THEN true ELSE false END AS error,
            count(*) AS count
     FROM iot_filtered
     GROUP BY error;
AWAIT QUERY errorCount TIMEOUT '7 seconds';
STOP QUERY errorCount;
