package io.connectionmanager.sample.market;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

/**
 * The latest price per symbol, and what the application itself observed of the stream's
 * sequence numbers: with resume on, a reconnect must neither repeat a tick (duplicates)
 * nor lose one (gaps). Written by the connection's event loop, read by the dashboard.
 */
@Component
public class PriceBoard {

	private final Map<String, Quote> quotes = new TreeMap<>();

	private long ticks;

	private long lastSequence;

	private long duplicates;

	private long gaps;

	private long missing;

	private Subscription lastSubscription;

	private long subscriptions;

	/** Applies one tick, in stream order. */
	public synchronized void apply(Tick tick) {
		if (this.lastSequence != 0) {
			if (tick.seq() <= this.lastSequence) {
				this.duplicates++;
				return;
			}
			if (tick.seq() > this.lastSequence + 1) {
				this.gaps++;
				this.missing += tick.seq() - this.lastSequence - 1;
			}
		}
		this.lastSequence = tick.seq();
		this.ticks++;
		Quote previous = this.quotes.get(tick.symbol());
		double open = (previous != null) ? previous.open() : tick.price();
		this.quotes.put(tick.symbol(),
				new Quote(tick.symbol(), tick.price(), open, tick.price() - open, tick.seq(), Instant.now()));
	}

	/** A subscription was confirmed by the feed. */
	public synchronized void subscribed(Long from, long replayed, long latest) {
		this.subscriptions++;
		this.lastSubscription = new Subscription(from, replayed, latest, Instant.now());
	}

	public synchronized long lastSequence() {
		return this.lastSequence;
	}

	public synchronized Snapshot snapshot() {
		return new Snapshot(List.copyOf(this.quotes.values()), this.ticks, this.lastSequence, this.duplicates,
				this.gaps, this.missing, this.subscriptions, this.lastSubscription);
	}

	/**
	 * One symbol's line on the board.
	 *
	 * @param symbol the symbol
	 * @param price the last price
	 * @param open the first price seen by this application
	 * @param change price minus open
	 * @param seq the sequence number of the last tick
	 * @param at when it arrived
	 */
	public record Quote(String symbol, double price, double open, double change, long seq, Instant at) {

	}

	/**
	 * How the last (re)subscription went.
	 *
	 * @param from the sequence the application resumed from, or {@code null} for a fresh
	 * (live-only) subscription
	 * @param replayed how many missed ticks the feed replayed
	 * @param latest the feed's latest sequence when it answered
	 * @param at when
	 */
	public record Subscription(Long from, long replayed, long latest, Instant at) {

	}

	/**
	 * The board at one moment.
	 *
	 * @param quotes one line per symbol
	 * @param ticks ticks applied
	 * @param lastSequence the last applied sequence
	 * @param duplicates ticks at or below the last sequence that reached the application
	 * (should stay 0)
	 * @param gaps jumps in the sequence that reached the application
	 * @param missing ticks skipped by those jumps
	 * @param subscriptions subscriptions so far (1 + reconnects)
	 * @param lastSubscription the latest one
	 */
	public record Snapshot(List<Quote> quotes, long ticks, long lastSequence, long duplicates, long gaps, long missing,
			long subscriptions, Subscription lastSubscription) {

	}

}
