package io.connectionmanager.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery guarantee every fault must leave intact. */
public final class Delivery {

	private Delivery() {
	}

	public static void assertExactlyOnceInOrder(StreamCollector collector, long total) {
		assertThat(collector.lost(total)).as("lost").isZero();
		assertThat(collector.duplicated()).as("duplicates delivered to the application").isZero();
		assertThat(collector.reordered()).as("delivered out of order").isZero();
		assertThat(collector.received()).as("received").isEqualTo(total);
		assertThat(collector.delivered()).as("deliveries").isEqualTo(total);
	}

}
