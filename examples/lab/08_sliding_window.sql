-- 08_sliding_window.sql — sliding windows: 10-second windows starting every
-- 5 seconds, so every event counts in two windows.
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
--        and a sluice with window() (see 07_tumbling_window.sql)
-- Run:   sluice -f examples/lab/08_sliding_window.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');
CREATE VIEW with_event_time AS
  SELECT *, CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS event_time
  FROM iot_filtered;

-- sliding_windows = withEventTime
--     .groupBy(window(col("event_time"), "10 seconds", "5 seconds")).count()
--     .writeStream.queryName("event_per_window").format("memory")
--     .outputMode("complete").start()
-- An event at 10:32:17 is in [10:32:10, 10:32:20) and [10:32:15, 10:32:25).
START QUERY event_per_window USING memory OPTIONS (outputMode 'complete')
  AS SELECT window(event_time, '10 seconds', '5 seconds') AS window, count(*) AS count
     FROM with_event_time
     GROUP BY window(event_time, '10 seconds', '5 seconds');

AWAIT QUERY event_per_window TIMEOUT '6 seconds';
SELECT window.start, window.end, count FROM event_per_window ORDER BY start;
AWAIT QUERY event_per_window TIMEOUT '6 seconds';
SELECT window.start, window.end, count FROM event_per_window ORDER BY start;
STOP QUERY event_per_window;
