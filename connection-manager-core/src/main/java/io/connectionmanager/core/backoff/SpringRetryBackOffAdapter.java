package io.connectionmanager.core.backoff;

import java.util.Objects;

import org.springframework.retry.backoff.BackOffContext;
import org.springframework.retry.backoff.BackOffPolicy;
import org.springframework.retry.backoff.Sleeper;
import org.springframework.retry.backoff.SleepingBackOffPolicy;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Lets a spring-retry {@link SleepingBackOffPolicy} (exponential, exponential-random,
 * uniform-random, fixed) drive reconnect delays. spring-retry policies sleep; this
 * adapter gives the policy a {@link Sleeper} that records the period instead, so the
 * delay is scheduled on the connection's timer and no thread ever sleeps. spring-retry is
 * an optional dependency: this class is only loaded when it is used.
 */
public final class SpringRetryBackOffAdapter implements BackOff {

	private final SleepingBackOffPolicy<?> policy;

	private final int maxAttempts;

	/**
	 * @param policy the spring-retry policy, e.g. an
	 * {@code ExponentialRandomBackOffPolicy}
	 * @param maxAttempts attempts before giving up, -1 for forever (spring-retry leaves
	 * this to its RetryPolicy)
	 */
	public SpringRetryBackOffAdapter(SleepingBackOffPolicy<?> policy, int maxAttempts) {
		this.policy = Objects.requireNonNull(policy, "policy");
		if (maxAttempts < -1 || maxAttempts == 0) {
			throw new IllegalArgumentException("maxAttempts (" + maxAttempts + ") must be -1 or at least 1");
		}
		this.maxAttempts = maxAttempts;
	}

	@Override
	public BackOffExecution start() {
		RecordingSleeper sleeper = new RecordingSleeper();
		BackOffPolicy recording = this.policy.withSleeper(sleeper);
		BackOffContext context = recording.start(null);
		return new BackOffExecution() {

			private int attempts;

			@Override
			public long nextBackOff() {
				if (SpringRetryBackOffAdapter.this.maxAttempts >= 0
						&& this.attempts >= SpringRetryBackOffAdapter.this.maxAttempts) {
					return STOP;
				}
				this.attempts++;
				sleeper.last = 0;
				recording.backOff(context);
				return sleeper.last;
			}

		};
	}

	private static final class RecordingSleeper implements Sleeper {

		private long last;

		@Override
		public void sleep(long backOffPeriod) {
			this.last = backOffPeriod;
		}

	}

}
