-- 13_word_count.sql — for fun: count the words each character says, from a
-- third server sending quotes as {"character": ..., "quote": ...}. The lab
-- used Kaamelott; sluice ships 17th-century French theatre (Molière,
-- Corneille) instead.
--
-- Needs: sluice gen quotes             (127.0.0.1:10001, one quote a second)
-- Run:   sluice -f examples/lab/13_word_count.sql

-- kaamelott_stream = spark.readStream.format("socket")
--     .option("host", "127.0.0.1").option("port", "10001").load()
CREATE STREAM quotes_stream USING socket OPTIONS (host '127.0.0.1', port 10001);

-- schema_kaamelott = StructType().add('character', StringType(), True)
--     .add('quote', StringType(), True)
CREATE VIEW quotes AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING), 'character STRING, quote STRING') AS json
    FROM quotes_stream);

-- words = kaamelott_df.select(kaamelott_df.character,
--         explode(split(kaamelott_df.quote, ' ')).alias('word'))
--     .groupBy(kaamelott_df.character).count()
--     .writeStream.format("console").outputMode("complete")
--     .trigger(processingTime='5 seconds').start()
-- split cuts at each space (its pattern is a regular expression); explode
-- makes one row per word. Complete mode may sort: the most talkative first.
START QUERY words USING console OPTIONS (outputMode 'complete', trigger '5 seconds', truncate false)
  AS SELECT character, count(*) AS count
     FROM (SELECT character, explode(split(quote, ' ')) AS word FROM quotes)
     GROUP BY character
     ORDER BY count DESC, character;
AWAIT QUERY words TIMEOUT '11 seconds';
STOP QUERY words;
