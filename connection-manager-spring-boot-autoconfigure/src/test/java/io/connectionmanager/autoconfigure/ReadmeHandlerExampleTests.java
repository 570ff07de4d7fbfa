package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.event.SubscriptionFailedEvent;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's handler example, as written: the handler bean and a bean that uses the
 * connection live in one configuration class, and start-up has no bean cycle, because the
 * handler sends through the session it is given instead of injecting the connection.
 */
class ReadmeHandlerExampleTests {

	private final TestWebSocketServer feed = TestWebSocketServer.start();

	private final List<String> received = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.feed.close();
	}

	@Test
	void theHandlerAndAUserOfTheConnectionLiveInOneConfigurationClass() {
		this.feed.onText((peer, text) -> {
			this.received.add(text);
			if (text.contains("\"auth\"")) {
				peer.sendText("{\"type\":\"auth-ok\"}");
			}
			else if (text.contains("\"subscribe\"")) {
				peer.sendText("{\"type\":\"tick\",\"seq\":1,\"price\":101.5}");
			}
		});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
			.withUserConfiguration(MarketDataConfiguration.class)
			.withPropertyValues("connection-manager.connections.market-data.url=" + this.feed.uri("/v1/stream"),
					"connection-manager.connections.market-data.resume.enabled=true",
					"connection-manager.connections.market-data.heartbeat.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ManagedConnection marketData = context.getBean("market-data", ManagedConnection.class);
				PriceBoard board = context.getBean(PriceBoard.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> board.ticks.size() == 1);
				assertThat(marketData.state()).isEqualTo(ConnectionState.CONNECTED);
				assertThat(marketData.subscriptions().keys()).containsExactly("ticks");
				await().atMost(Duration.ofSeconds(5)).until(() -> this.received.size() == 3);
				assertThat(this.received).containsExactly("{\"type\":\"auth\",\"token\":\"...\"}",
						"{\"type\":\"subscribe\",\"channel\":\"ticks\"}", "{\"type\":\"ack\",\"seq\":1}");
				// The other bean in the same class uses the connection it was given.
				assertThat(context.getBean(OrderGateway.class).place("{\"type\":\"order\"}"))
					.succeedsWithin(Duration.ofSeconds(5));
				await().atMost(Duration.ofSeconds(5)).until(() -> this.received.size() == 4);
			});
	}

	/** The README example. */
	@Configuration
	static class MarketDataConfiguration {

		@Bean
		PriceBoard priceBoard() {
			return new PriceBoard();
		}

		@Bean
		@Qualifier("market-data")
		ConnectionHandler marketDataHandler(PriceBoard board) {
			return new ConnectionHandler() {
				@Override
				public void authenticate(AuthenticationContext auth) { // AUTHENTICATING
					auth.send("{\"type\":\"auth\",\"token\":\"...\"}");
				}

				@Override
				public void onAuthenticationMessage(AuthenticationContext auth, Message reply) {
					if (text(reply).contains("auth-ok")) {
						auth.succeed();
					}
					else {
						auth.reject("bad token"); // FATAL, no retry
					}
				}

				@Override
				public void onConnected(ConnectionSession session) { // after every
																		// authentication
					// Sent now, then replayed on every later session: never twice on one.
					session.subscriptions()
						.add("ticks", Message.text("{\"type\":\"subscribe\",\"channel\":\"ticks\"}"));
				}

				@Override
				public StreamPosition positionOf(Message message) { // resume and
																	// de-duplication
					return StreamPosition.sequence(board.sequenceOf(text(message)));
				}

				@Override
				public void onMessage(ConnectionSession session, Message message) {
					long seq = board.apply(text(message));
					session.send("{\"type\":\"ack\",\"seq\":" + seq + "}"); // no need to
																			// inject the
																			// connection
				}
			};
		}

		@Bean
		OrderGateway orderGateway(@Qualifier("market-data") ManagedConnection marketData) {
			return new OrderGateway(marketData);
		}

		@EventListener
		void on(SubscriptionFailedEvent event) {
		}

		private static String text(Message message) {
			return ((Message.Text) message).text();
		}

	}

	static class PriceBoard {

		final List<String> ticks = new CopyOnWriteArrayList<>();

		long sequenceOf(String json) {
			int at = json.indexOf("\"seq\":");
			return (at < 0) ? 0 : Long.parseLong(json.substring(at + 6, json.indexOf(',', at)));
		}

		long apply(String json) {
			this.ticks.add(json);
			return sequenceOf(json);
		}

	}

	record OrderGateway(ManagedConnection connection) {

		java.util.concurrent.CompletableFuture<Void> place(String order) {
			return this.connection.send(order);
		}

	}

}
