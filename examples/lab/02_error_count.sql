-- 02_error_count.sql — count the records the server sent in error. An error
-- record has every field null but the two times; the lab recognises it with
-- a CASE expression, groups by it and counts, in complete output mode.
--
-- Needs: sluice gen iot                (127.0.0.1:9999; about 3% error records)
-- Run:   sluice -f examples/lab/02_error_count.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);

-- errorCount = iot_data
--     .withColumn("error", expr("CASE WHEN Device IS NULL AND Index IS NULL AND Model IS NULL
--                                AND User IS NULL AND gt IS NULL THEN TRUE ELSE FALSE END"))
--     .groupBy("error").count()
--     .writeStream.format("console").outputMode("complete").start()
--
-- Output modes (the lab's table): complete rewrites the whole result every
-- batch (needed here: the counts change over time); update writes only the
-- groups a batch changed; append writes each row once, and is refused for an
-- aggregation without a watermark — as Spark refuses it.
START QUERY errorCount USING console OPTIONS (outputMode 'complete', trigger '3 seconds')
  AS SELECT CASE WHEN Device IS NULL AND `Index` IS NULL AND Model IS NULL
                      AND User IS NULL AND gt IS NULL THEN true ELSE false END AS error,
            count(*) AS count
     FROM iot_data
     GROUP BY error;

-- sleep(10); errorCount.stop()
AWAIT QUERY errorCount TIMEOUT '7 seconds';
STOP QUERY errorCount;

-- Beyond Spark: a line that is not JSON at all also gives a row of NULLs
-- (from_json's PERMISSIVE rule) and so also counts as an error here; a
-- socket stream declared with its columns and format 'json' counts such
-- lines in its progress records (numBadRecords), see docs/lab.md.
