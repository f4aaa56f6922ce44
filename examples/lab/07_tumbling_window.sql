-- 07_tumbling_window.sql — event time: turn Creation_Time (nanoseconds)
-- into a timestamp, then count the events of each 5-second window of event
-- time (tumbling windows: every event in exactly one window).
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
--        and a sluice with window() (if it says "syntax error at or near
--        'window'", your build predates event-time windows: update it)
-- Run:   sluice -f examples/lab/07_tumbling_window.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- withEventTime = filterdDf.selectExpr("*",
--     "cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time")
-- Creation_Time is in nanoseconds; divided by 10^9 it is in seconds, and a
-- number of seconds cast to TIMESTAMP is that long after 1970-01-01 UTC.
CREATE VIEW with_event_time AS
  SELECT *, CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS event_time
  FROM iot_filtered;

-- event_time = withEventTime.groupBy(window(col("event_time"), "5 seconds")).count()
--     .writeStream.queryName("event_per_window").format("memory")
--     .outputMode("complete").start()
-- Windows are aligned on the epoch ([10:32:10, 10:32:15), ...) and half
-- open. Events arrive out of order (each is created up to 0.5 s before it
-- is sent, a few up to 10 s before), so a window's count still grows after
-- the window has ended: that is what event time means.
START QUERY event_per_window USING memory OPTIONS (outputMode 'complete')
  AS SELECT window(event_time, '5 seconds') AS window, count(*) AS count
     FROM with_event_time
     GROUP BY window(event_time, '5 seconds');

-- for x in range(20): spark.sql("SELECT * FROM event_per_window").show(50, False)
-- The window column is a struct<start, end>; its fields read as window.start
-- and window.end. Timestamps print in the session time zone (UTC unless
-- SET spark.sql.session.timeZone = 'Europe/Paris').
AWAIT QUERY event_per_window TIMEOUT '6 seconds';
SELECT window.start, window.end, count FROM event_per_window ORDER BY start;
AWAIT QUERY event_per_window TIMEOUT '6 seconds';
SELECT window.start, window.end, count FROM event_per_window ORDER BY start;
STOP QUERY event_per_window;
