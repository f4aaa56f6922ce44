-- 12_stream_join.sql — join two streams: the IoT records with the heart
-- rates of the same users, on User. A stream-stream join keeps the rows of
-- both sides in state so that a row can meet the rows the other side sends
-- later; the result is what a static join of everything received would
-- give.
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
--        sluice gen bpm                (127.0.0.1:10000, the second server)
--        and a sluice with stream-stream joins (if it says "joins of two
--        streams are not supported yet", your build predates them)
-- Run:   sluice -f examples/lab/12_stream_join.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- tcp_stream2 = spark.readStream.format("socket")
--     .option("host", "127.0.0.1").option("port", "10000").load()
-- schema2 = StructType().add('Arrival_Time', LongType(), True) ...
--     .add('bpm', ShortType(), True)
-- df2 = tcp_stream2.selectExpr('CAST(value AS STRING)')
--     .select(from_json('value', schema2).alias('json')).select('json.*')
--     .na.drop("any")
CREATE STREAM tcp_stream2 USING socket OPTIONS (host '127.0.0.1', port 10000);
CREATE VIEW bpm_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, bpm SMALLINT') AS json
    FROM tcp_stream2);
CREATE VIEW df2 AS SELECT * FROM dropna(bpm_data, 'any');

-- join = filterdDf.join(df2, "User").writeStream.format("console")
--     .trigger(processingTime='10 seconds').start()
-- Both sides have Arrival_Time, Creation_Time, Device, Index and Model:
-- with USING (User) they come twice, once from each side, as in Spark. Here
-- the bpm side's are left out. Every IoT record meets every heart rate of
-- its user, so the output (and the state) grows fast: in real use, bound
-- the join in event time with watermarks (see docs/lab.md).
START QUERY stream_join USING console OPTIONS (trigger '10 seconds')
  AS SELECT iot_filtered.*, df2.bpm
     FROM iot_filtered JOIN df2 USING (User);
AWAIT QUERY stream_join TIMEOUT '12 seconds';
STOP QUERY stream_join;
