package io.connectionmanager.test.kit;

import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * AssertJ assertions on what an {@link EventRecorder} saw. The {@code eventually...}
 * forms wait (default 10 seconds, see {@link #within(Duration)}) since events arrive
 * asynchronously.
 */
public final class EventRecorderAssert extends AbstractAssert<EventRecorderAssert, EventRecorder> {

	private Duration timeout = Duration.ofSeconds(10);

	EventRecorderAssert(EventRecorder actual) {
		super(actual, EventRecorderAssert.class);
	}

	/** How long the {@code eventually...} assertions that follow wait. */
	public EventRecorderAssert within(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * The recorded states contain {@code states} in this order (other states may come
	 * between).
	 */
	public EventRecorderAssert eventuallyPassedThrough(ConnectionState... states) {
		return eventually(() -> containsInOrder(this.actual.states(), List.of(states)),
				() -> "states in order " + List.of(states) + " but saw " + this.actual.states());
	}

	/** A transition was caused by a failure of {@code kind}. */
	public EventRecorderAssert eventuallySawFailure(FailureKind kind) {
		return eventually(() -> this.actual.failureKinds().contains(kind),
				() -> "a failure of kind " + kind + " but saw " + this.actual.failureKinds());
	}

	/** At least one heartbeat went unanswered. */
	public EventRecorderAssert eventuallyMissedHeartbeat() {
		return eventually(() -> !this.actual.heartbeatsMissed().isEmpty(), () -> "a missed heartbeat but saw none");
	}

	private EventRecorderAssert eventually(java.util.concurrent.Callable<Boolean> condition,
			java.util.function.Supplier<String> expected) {
		isNotNull();
		try {
			Awaitility.await().atMost(this.timeout).pollInterval(Duration.ofMillis(20)).until(condition);
		}
		catch (ConditionTimeoutException ex) {
			failWithMessage("Expected within %s %s", this.timeout, expected.get());
		}
		return this;
	}

	static <T> boolean containsInOrder(List<T> actual, List<T> expected) {
		int next = 0;
		for (T item : actual) {
			if (next < expected.size() && item.equals(expected.get(next))) {
				next++;
			}
		}
		return next == expected.size();
	}

}
