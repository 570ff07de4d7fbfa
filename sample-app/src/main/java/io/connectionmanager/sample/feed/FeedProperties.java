package io.connectionmanager.sample.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The market-data feed the sample subscribes to: by default a simulated exchange started
 * inside the application.
 */
@ConfigurationProperties("feed")
public class FeedProperties {

	/**
	 * Whether to start the simulated exchange inside this JVM; false to subscribe to
	 * feed.url instead.
	 */
	private boolean embedded = true;

	/**
	 * The feed's WebSocket URL. Published by the application when the feed is embedded
	 * (ws://127.0.0.1:{feed.port}{feed.path}); required otherwise.
	 */
	private String url;

	/** The embedded feed's port on 127.0.0.1; 0 picks a free one at start-up. */
	private int port;

	/** The embedded feed's streaming path. */
	private String path = "/stream";

	/**
	 * The token the application authenticates with (and the one the embedded feed
	 * accepts).
	 */
	private String token = "demo-token";

	/** Time between two ticks of the embedded feed. */
	private Duration tickInterval = Duration.ofMillis(70);

	/** Ticks the embedded feed keeps for resuming subscribers. */
	private int replayBuffer = 10_000;

	/** How long the embedded feed stays unbound on "restart". */
	private Duration restartDelay = Duration.ofSeconds(3);

	public boolean isEmbedded() {
		return this.embedded;
	}

	public void setEmbedded(boolean embedded) {
		this.embedded = embedded;
	}

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		this.url = url;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public String getToken() {
		return this.token;
	}

	public void setToken(String token) {
		this.token = token;
	}

	public Duration getTickInterval() {
		return this.tickInterval;
	}

	public void setTickInterval(Duration tickInterval) {
		this.tickInterval = tickInterval;
	}

	public int getReplayBuffer() {
		return this.replayBuffer;
	}

	public void setReplayBuffer(int replayBuffer) {
		this.replayBuffer = replayBuffer;
	}

	public Duration getRestartDelay() {
		return this.restartDelay;
	}

	public void setRestartDelay(Duration restartDelay) {
		this.restartDelay = restartDelay;
	}

	SimulatedFeed.Options toOptions() {
		return new SimulatedFeed.Options(this.port, this.path, this.token, this.tickInterval, this.replayBuffer,
				this.restartDelay);
	}

}
