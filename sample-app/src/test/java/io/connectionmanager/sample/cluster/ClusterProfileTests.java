package io.connectionmanager.sample.cluster;

import java.time.Duration;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.sample.SampleApplication;
import io.connectionmanager.sample.dashboard.Dashboard;
import io.connectionmanager.sample.dashboard.Dashboard.ConnectionView;
import io.connectionmanager.test.redis.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --spring.profiles.active=cluster}: two replicas of the sample on one Redis; one
 * holds market-data and its dashboard says so, the other is a standby, and it takes over
 * when the holder stops.
 */
class ClusterProfileTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@Test
	void oneReplicaHoldsTheFeedTheDashboardSaysWhichAndTheOtherTakesOver() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			ConfigurableApplicationContext a = replica("a", redis);
			ConfigurableApplicationContext b = replica("b", redis);
			try {
				await().atMost(BOUND).until(() -> connected(a) || connected(b));
				ConfigurableApplicationContext holder = connected(a) ? a : b;
				ConfigurableApplicationContext standby = (holder == a) ? b : a;
				assertThat(connected(standby)).isFalse();
				ConnectionView held = view(holder);
				assertThat(held.role()).isEqualTo("leader");
				assertThat(held.holder()).isIn("a", "b");
				assertThat(view(standby).role()).isEqualTo("standby");

				holder.close();
				await().atMost(BOUND).until(() -> connected(standby));
				assertThat(view(standby).role()).isEqualTo("leader");
			}
			finally {
				a.close();
				b.close();
			}
		}
	}

	private static ConfigurableApplicationContext replica(String id, RedisServer redis) {
		return new SpringApplicationBuilder(SampleApplication.class).run("--spring.profiles.active=cluster",
				"--spring.data.redis.port=" + redis.port(), "--connection-manager.cluster.replica-id=" + id,
				"--connection-manager.cluster.lease=3s");
	}

	private static boolean connected(ConfigurableApplicationContext context) {
		return context.isActive()
				&& context.getBean("market-data", ManagedConnection.class).state() == ConnectionState.CONNECTED;
	}

	private static ConnectionView view(ConfigurableApplicationContext context) {
		List<ConnectionView> views = context.getBean(Dashboard.class).state().connections();
		return views.stream().filter((view) -> view.name().equals("market-data")).findFirst().orElseThrow();
	}

}
