package io.connectionmanager.core.backoff;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.retry.backoff.ExponentialBackOffPolicy;
import org.springframework.retry.backoff.FixedBackOffPolicy;
import org.springframework.retry.backoff.UniformRandomBackOffPolicy;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpringRetryBackOffAdapterTests {

	@Test
	void exponentialPolicyDelaysAreReturnedNotSlept() {
		ExponentialBackOffPolicy policy = new ExponentialBackOffPolicy();
		policy.setInitialInterval(100);
		policy.setMultiplier(2.0);
		policy.setMaxInterval(1000);
		BackOffExecution execution = new SpringRetryBackOffAdapter(policy, -1).start();
		long started = System.nanoTime();
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			delays.add(execution.nextBackOff());
		}
		long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
		assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
		// 3.5 s of delays were computed; a sleeping policy would have taken that long.
		assertThat(elapsedMillis).isLessThan(1000);
	}

	@Test
	void uniformRandomPolicyStaysInItsRange() {
		UniformRandomBackOffPolicy policy = new UniformRandomBackOffPolicy();
		policy.setMinBackOffPeriod(200);
		policy.setMaxBackOffPeriod(400);
		BackOffExecution execution = new SpringRetryBackOffAdapter(policy, -1).start();
		for (int i = 0; i < 100; i++) {
			assertThat(execution.nextBackOff()).isBetween(200L, 400L);
		}
	}

	@Test
	void stopsAfterMaxAttempts() {
		FixedBackOffPolicy policy = new FixedBackOffPolicy();
		policy.setBackOffPeriod(50);
		BackOffExecution execution = new SpringRetryBackOffAdapter(policy, 2).start();
		assertThat(execution.nextBackOff()).isEqualTo(50L);
		assertThat(execution.nextBackOff()).isEqualTo(50L);
		assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void eachStartIsIndependent() {
		ExponentialBackOffPolicy policy = new ExponentialBackOffPolicy();
		policy.setInitialInterval(100);
		SpringRetryBackOffAdapter adapter = new SpringRetryBackOffAdapter(policy, -1);
		BackOffExecution first = adapter.start();
		first.nextBackOff();
		first.nextBackOff();
		assertThat(adapter.start().nextBackOff()).isEqualTo(100L);
	}

	@Test
	void rejectsZeroAttempts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SpringRetryBackOffAdapter(new FixedBackOffPolicy(), 0))
			.withMessageContaining("maxAttempts");
	}

}
