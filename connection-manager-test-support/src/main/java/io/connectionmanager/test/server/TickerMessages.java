package io.connectionmanager.test.server;

import java.util.Locale;

/**
 * A market-data ticker stream like an exchange's: the same keys in every message, slowly
 * changing numbers. Repetitive JSON, what permessage-deflate is for.
 */
public final class TickerMessages {

	private TickerMessages() {
	}

	/** The ticker message numbered {@code sequence} (about 213 bytes). */
	public static String ticker(int sequence) {
		double price = 64_000 + (sequence % 500) * 0.37;
		return String.format(Locale.ROOT,
				"{\"type\":\"ticker\",\"product_id\":\"BTC-USD\",\"sequence\":%d,\"price\":\"%.2f\","
						+ "\"best_bid\":\"%.2f\",\"best_ask\":\"%.2f\",\"volume_24h\":\"%d.5521\","
						+ "\"side\":\"%s\",\"time\":\"2024-05-01T12:%02d:%02d.%06dZ\",\"trade_id\":%d}",
				sequence, price, price - 0.01, price + 0.01, 18_000 + sequence % 97,
				(sequence % 2 == 0) ? "buy" : "sell", (sequence / 60) % 60, sequence % 60, sequence % 1_000_000,
				700_000_000 + sequence);
	}

}
