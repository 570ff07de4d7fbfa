package io.connectionmanager.sample.market;

/**
 * One price update from the feed:
 * {@code {"type":"tick","seq":123,"symbol":"AAPL","price":189.23}}.
 *
 * @param seq the feed's sequence number
 * @param symbol the instrument
 * @param price the new price
 */
public record Tick(long seq, String symbol, double price) {

}
