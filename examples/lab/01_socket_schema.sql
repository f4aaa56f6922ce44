-- 01_socket_schema.sql — lab part 2, first steps: open the TCP stream, look
-- at the raw lines, read their schema, apply the lab's schema, keep the rows
-- in a memory table and query it with SQL while the stream runs.
--
-- Needs the IoT server (the lab's server1.py) on 127.0.0.1:9999:
--     sluice gen iot                      (in another terminal; Ctrl-C stops it)
-- Run from the repository's root:
--     sluice -f examples/lab/01_socket_schema.sql
-- (Spark's `pyspark --master local[4]` is `sluice --master local[4]`, or
-- `sluice --threads 4`; one thread is plenty for the lab.)

-- spark.conf.set("spark.sql.shuffle.partitions", 5)
-- Accepted for Spark scripts; sluice does not shuffle into 200 partitions.
SET spark.sql.shuffle.partitions = 5;

-- tcp_stream = spark.readStream.format("socket")
--     .option("host", "127.0.0.1").option("port", "9999").load()
-- Lazy, as in Spark: nothing connects until a query reads the stream. Each
-- query opens its own connection, and the server gives each its own stream.
CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);

-- tcp_stream.schema  ->  StructType(List(StructField(value,StringType,true)))
-- One column `value`: every line is one big string, not yet parsed.
DESCRIBE tcp_stream;

-- raw_data_console = tcp_stream.writeStream.format('console')
--     .option('truncate', 'false').trigger(processingTime='3 seconds').start()
-- A micro-batch every 3 seconds, printed as Spark prints it ("Batch: N").
START QUERY raw_data_console USING console OPTIONS (truncate false, trigger '3 seconds')
  AS SELECT * FROM tcp_stream;

-- spark.streams.active: the running queries (and, beyond Spark, the
-- delivery guarantee: "none" for a socket, which cannot replay lost lines).
SHOW QUERIES;

-- sleep(10): AWAIT QUERY waits for the query to end, at most this long; it
-- prints `terminated = false` while the query still runs.
AWAIT QUERY raw_data_console TIMEOUT '7 seconds';
-- raw_data_console.stop()
STOP QUERY raw_data_console;

-- schema = StructType().add('Arrival_Time', LongType(), True) ...
-- iot_data = tcp_stream.selectExpr('CAST(value AS STRING)')
--     .select(from_json('value', schema).alias('json')).select('json.*')
-- The schema is a DDL string; `Index` needs backquotes (a keyword).
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
DESCRIBE iot_data;

-- iot_data_console = iot_data.writeStream.format('console')
--     .trigger(processingTime='5 seconds').start()
-- Columns are cut at 20 characters (truncate is on by default).
START QUERY iot_data_console USING console OPTIONS (trigger '5 seconds')
  AS SELECT * FROM iot_data;
AWAIT QUERY iot_data_console TIMEOUT '6 seconds';
STOP QUERY iot_data_console;

-- iot_data_memory = iot_data.writeStream.format("memory").queryName("iot_data").start()
-- for x in range(10): spark.sql("SELECT * FROM iot_data").show(); sleep(1)
-- The memory sink makes a table named after the query (here iot_rows, since
-- the view is already called iot_data). Debugging only, as the lab warns:
-- everything must fit in memory (sluice caps it at maxRows, 1,000,000).
START QUERY iot_rows USING memory AS SELECT * FROM iot_data;
AWAIT QUERY iot_rows TIMEOUT '2 seconds';
SELECT count(*) AS rows_so_far FROM iot_rows;
AWAIT QUERY iot_rows TIMEOUT '2 seconds';
SELECT count(*) AS rows_so_far FROM iot_rows;
SELECT User, gt, Model, x, y, z FROM iot_rows ORDER BY Arrival_Time DESC LIMIT 5;
STOP QUERY iot_rows;
