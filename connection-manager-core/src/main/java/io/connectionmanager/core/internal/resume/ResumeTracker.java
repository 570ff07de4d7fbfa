package io.connectionmanager.core.internal.resume;

import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import java.util.concurrent.CompletableFuture;

/**
 * Decides, for each positioned message of one connection, whether it is new, a duplicate,
 * or reveals a gap, and keeps the positions: {@code accepted} (the newest message let
 * through, offered to the server on reconnect) and {@code delivered} (the newest the
 * application has finished handling, saved to the store). {@link #check} runs on the
 * connection's event loop, {@link #delivered} on the handler thread. The constructor
 * loads the saved position (file I/O for a file store): build trackers off the event
 * loops.
 */
public final class ResumeTracker {

	private final String connection;

	private final ResumeStore store;

	private volatile StreamPosition accepted;

	public ResumeTracker(String connection, ResumeStore store) {
		this.connection = connection;
		this.store = store;
		this.accepted = store.load(connection);
	}

	/** The verdict on one inbound position. */
	public sealed interface Verdict permits InOrder, Duplicate, Gap {

	}

	/** New and contiguous (or a token, or the first position ever). */
	public record InOrder() implements Verdict {

	}

	/** At or below the last accepted position. */
	public record Duplicate(StreamPosition lastAccepted) implements Verdict {

	}

	/** Numeric positions {@code firstMissing..lastMissing} were skipped. */
	public record Gap(long firstMissing, long lastMissing) implements Verdict {

	}

	private static final InOrder IN_ORDER = new InOrder();

	public Verdict check(StreamPosition position) {
		StreamPosition last = this.accepted;
		if (last == null || position.isNumeric() != last.isNumeric()) {
			return IN_ORDER;
		}
		if (!position.isNumeric()) {
			return position.equals(last) ? new Duplicate(last) : IN_ORDER;
		}
		if (position.sequence() <= last.sequence()) {
			return new Duplicate(last);
		}
		if (position.sequence() > last.sequence() + 1) {
			return new Gap(last.sequence() + 1, position.sequence() - 1);
		}
		return IN_ORDER;
	}

	/** The message passes: later duplicates are judged against it. */
	public void accept(StreamPosition position) {
		this.accepted = position;
	}

	/**
	 * The application handled it: it becomes the position to resume from after a restart.
	 */
	public void delivered(StreamPosition position) {
		this.store.save(this.connection, position);
	}

	/** The position to offer the server on reconnect, or {@code null}. */
	public StreamPosition resumeFrom() {
		return this.accepted;
	}

	/** Requests a prompt write of the position; never blocks (fine on an event loop). */
	public void flush() {
		this.store.flush();
	}

	/**
	 * Like {@link #flush()}, completing once the position is written (or its write failed
	 * and was logged); never completes exceptionally. For close: wait on it, bounded by
	 * what remains of the shutdown timeout, before reporting the connection closed.
	 */
	public CompletableFuture<Void> flushAsync() {
		return this.store.flushAsync();
	}

}
