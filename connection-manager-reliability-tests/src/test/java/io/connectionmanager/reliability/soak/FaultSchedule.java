package io.connectionmanager.reliability.soak;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.TestWebSocketServer;

/**
 * Drives the soak's faults one at a time on a scheduler: a healthy pause, a random fault
 * held for a random time, cleared, then a wait until the connection is CONNECTED again -
 * recording when it noticed and when it recovered. Kinds come in rounds (each once,
 * shuffled). Everything random comes from one seeded {@link Random}, so a seed replays
 * the same schedule.
 */
final class FaultSchedule {

	private static final long POLL_MILLIS = 20;

	/**
	 * A fault that breaks the connection but shows no loss this long after being cleared
	 * was missed.
	 */
	private static final long UNDETECTED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final Random random;

	private final long deadlineNanos;

	private final ManagedConnection connection;

	private final StateTimeline timeline;

	private final TestWebSocketServer server;

	private final FaultInjectingProxy proxy;

	private final ScheduledExecutorService scheduler;

	private final List<FaultRecord> records = new CopyOnWriteArrayList<>();

	private final CompletableFuture<List<FaultRecord>> done = new CompletableFuture<>();

	/**
	 * Every kind once per round, in a random order: even a short soak covers them all.
	 */
	private final Deque<FaultKind> bag = new ArrayDeque<>();

	FaultSchedule(Random random, long deadlineNanos, ManagedConnection connection, StateTimeline timeline,
			TestWebSocketServer server, FaultInjectingProxy proxy, ScheduledExecutorService scheduler) {
		this.random = random;
		this.deadlineNanos = deadlineNanos;
		this.connection = connection;
		this.timeline = timeline;
		this.server = server;
		this.proxy = proxy;
		this.scheduler = scheduler;
	}

	/**
	 * Starts the schedule; completes once the deadline has passed and the last fault was
	 * recovered.
	 */
	CompletableFuture<List<FaultRecord>> start() {
		pauseThenInject();
		return this.done;
	}

	/** Faults so far (a snapshot). */
	List<FaultRecord> records() {
		return List.copyOf(this.records);
	}

	private void pauseThenInject() {
		if (System.nanoTime() - this.deadlineNanos >= 0) {
			this.done.complete(List.copyOf(this.records));
			return;
		}
		later(1000 + this.random.nextInt(2001), this::inject);
	}

	private void inject() {
		if (this.bag.isEmpty()) {
			List<FaultKind> round = new ArrayList<>(List.of(FaultKind.values()));
			Collections.shuffle(round, this.random);
			this.bag.addAll(round);
		}
		FaultKind kind = this.bag.poll();
		int hold = kind.holdMillis(this.random);
		long injectedAt = System.nanoTime();
		kind.inject(this.server, this.proxy);
		later(hold, () -> {
			kind.clear(this.server, this.proxy);
			awaitRecovery(kind, injectedAt, System.nanoTime());
		});
	}

	private void awaitRecovery(FaultKind kind, long injectedAt, long clearedAt) {
		long now = System.nanoTime();
		Optional<StateTimeline.Entry> loss = this.timeline.firstLossAfter(injectedAt);
		boolean connected = this.connection.state() == ConnectionState.CONNECTED;
		if (loss.isPresent()) {
			Optional<StateTimeline.Entry> back = this.timeline.firstConnectedAfter(loss.get().nanos());
			if (back.isPresent() && connected) {
				record(kind, injectedAt, clearedAt, loss.get(), back.get().nanos());
				return;
			}
		}
		else if (connected && (!kind.breaksTheConnection() || now - clearedAt > UNDETECTED_AFTER_NANOS)) {
			record(kind, injectedAt, clearedAt, null, clearedAt); // never lost
			return;
		}
		if (now - clearedAt > GIVE_UP_NANOS) {
			record(kind, injectedAt, clearedAt, loss.orElse(null), null);
			return;
		}
		later(POLL_MILLIS, () -> awaitRecovery(kind, injectedAt, clearedAt));
	}

	private void record(FaultKind kind, long injectedAt, long clearedAt, StateTimeline.Entry loss, Long recoveredAt) {
		FailureKind cause = (loss != null && loss.change().cause() != null) ? loss.change().cause().kind() : null;
		this.records.add(
				new FaultRecord(kind, injectedAt, clearedAt, (loss != null) ? loss.nanos() : null, cause, recoveredAt));
		pauseThenInject();
	}

	private void later(long millis, Runnable step) {
		this.scheduler.schedule(() -> {
			try {
				step.run();
			}
			catch (RuntimeException | Error ex) {
				this.done.completeExceptionally(ex);
			}
		}, millis, TimeUnit.MILLISECONDS);
	}

}
