package io.connectionmanager.core.internal.engine;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.event.DuplicateDropped;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.internal.inbound.InboundDispatcher;
import io.connectionmanager.core.internal.resume.ResumeTracker;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.transport.Message;

/**
 * The way in: received messages queue (bounded) for the connection's serial handler lane,
 * where replies to waiting requests are taken out, the handler's {@code positionOf}
 * places the rest, resume admission drops duplicates and reports gaps, and
 * {@code onMessage} gets what remains, never before {@code onConnected} of its session.
 * Authentication callbacks take the same lane, so a handler sees everything in arrival
 * order and never on an event loop.
 */
final class DeliveryPipeline {

	private final String connection;

	private final ConnectionHandler handler;

	private final ResumeTracker resume;

	private final SerialLane lane;

	private final InboundDispatcher dispatcher;

	private final ConnectionExecutor loop;

	private final EventReporter reporter;

	private final CallbackFailures failures;

	private final GapReplay replay;

	private final Consumer<AttemptSession> opener;

	private final DrainDetector drain;

	private final LongAdder messagesIn = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder gaps = new LongAdder();

	/**
	 * Messages of this attempt and earlier are dropped: a replay of them is on its way.
	 */
	private volatile long replayedUpTo = -1;

	DeliveryPipeline(Parts parts, InboundSettings settings, ReadControl readControl) {
		this.connection = parts.connection();
		this.handler = parts.handler();
		this.resume = parts.resume();
		this.lane = parts.lane();
		this.loop = parts.loop();
		this.reporter = parts.reporter();
		this.failures = parts.failures();
		this.replay = parts.replay();
		this.opener = parts.opener();
		this.drain = parts.drain();
		this.dispatcher = new InboundDispatcher(settings, this.lane, this::handle, readControl::setReadable, this.loop);
	}

	/**
	 * What the pipeline works with; {@code opener} runs {@code onConnected} and the
	 * replay of a session, on the lane, once.
	 */
	record Parts(String connection, ConnectionHandler handler, ResumeTracker resume, SerialLane lane,
			ConnectionExecutor loop, EventReporter reporter, CallbackFailures failures, GapReplay replay,
			Consumer<AttemptSession> opener, DrainDetector drain) {
	}

	/** Turns reading from the current session on or off (on the event loop). */
	interface ReadControl {

		void setReadable(boolean readable);

	}

	/** Asks the engine to reconnect and resume so the server replays a gap. */
	interface GapReplay {

		void replay(long attempt, SequenceGap gap);

	}

	/** On the event loop: a message of an authenticating or CONNECTED session. */
	void received(long attempt, Message message, AttemptSession session) {
		this.dispatcher.enqueue(new InboundDispatcher.Delivery(message, attempt, session));
	}

	/** The lane, for callbacks that must keep their order with message delivery. */
	SerialLane lane() {
		return this.lane;
	}

	/** Runs a handler callback on the lane, in order with message delivery. */
	void onLane(String callback, Runnable task) {
		this.lane.execute(() -> {
			try {
				task.run();
			}
			catch (Throwable failure) {
				this.failures.record(callback, failure);
			}
		});
	}

	boolean isReadingPaused() {
		return this.dispatcher.isPaused();
	}

	int queuedMessages() {
		return this.dispatcher.queuedMessages();
	}

	long queuedBytes() {
		return this.dispatcher.queuedBytes();
	}

	long peakBytes() {
		return this.dispatcher.peakBytes();
	}

	long messagesIn() {
		return this.messagesIn.sum();
	}

	long duplicates() {
		return this.duplicates.sum();
	}

	long gaps() {
		return this.gaps.sum();
	}

	/** On the lane. */
	private void handle(InboundDispatcher.Delivery delivery) {
		if (delivery.attempt() <= this.replayedUpTo) {
			return;
		}
		Message message = delivery.message();
		AttemptSession session = (AttemptSession) delivery.session();
		AttemptSession.Outcome outcome = session.outcome();
		if (outcome == AttemptSession.Outcome.FAILED || session.requests().complete(message)) {
			return;
		}
		if (outcome == AttemptSession.Outcome.PENDING) {
			authenticationMessage(session, message);
			return;
		}
		this.opener.accept(session);
		if (this.drain.consumed(delivery.attempt(), message, this.failures)) {
			return;
		}
		StreamPosition position = (this.resume != null) ? positionOf(message) : null;
		if (position != null && !admit(position, delivery.attempt())) {
			return;
		}
		this.messagesIn.increment();
		try {
			this.handler.onMessage(session, message);
		}
		catch (Throwable failure) {
			this.failures.record("onMessage", failure);
		}
		if (position != null) {
			// Marked delivered even if the handler threw: a poison message must not be
			// replayed forever.
			this.resume.delivered(position);
		}
	}

	private void authenticationMessage(AttemptSession authentication, Message message) {
		try {
			this.handler.onAuthenticationMessage(authentication, message);
		}
		catch (Throwable failure) {
			this.failures.record("onAuthenticationMessage", failure);
			authentication.fail("handler threw " + failure);
		}
	}

	private StreamPosition positionOf(Message message) {
		try {
			return this.handler.positionOf(message);
		}
		catch (Throwable failure) {
			this.failures.record("positionOf", failure);
			return null;
		}
	}

	/** De-duplication and gap detection; {@code false} drops the message. */
	private boolean admit(StreamPosition position, long attempt) {
		ResumeTracker.Verdict verdict = this.resume.check(position);
		if (verdict instanceof ResumeTracker.Duplicate duplicate) {
			this.duplicates.increment();
			this.reporter.duplicateDropped(new DuplicateDropped(this.connection, position.value(),
					duplicate.lastAccepted().value(), this.loop.clock().instant()));
			return false;
		}
		if (verdict instanceof ResumeTracker.Gap missing) {
			this.gaps.increment();
			SequenceGap gap = new SequenceGap(this.connection, missing.firstMissing(), missing.lastMissing(),
					this.loop.clock().instant());
			this.reporter.sequenceGap(gap);
			if (gapAction(gap) == GapAction.REPLAY) {
				this.replayedUpTo = attempt;
				this.replay.replay(attempt, gap);
				return false;
			}
		}
		this.resume.accept(position);
		return true;
	}

	private GapAction gapAction(SequenceGap gap) {
		try {
			return this.handler.onSequenceGap(gap);
		}
		catch (Throwable failure) {
			this.failures.record("onSequenceGap", failure);
			return GapAction.DELIVER;
		}
	}

}
