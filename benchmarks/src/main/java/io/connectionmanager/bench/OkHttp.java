package io.connectionmanager.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** How the baseline builds its OkHttp clients. */
final class OkHttp {

	private OkHttp() {
	}

	/**
	 * An OkHttp client as an application holding many WebSockets configures it:
	 * {@code pingInterval} for liveness, and the dispatcher's per-host limit (default 5
	 * concurrent calls) lifted, since every connecting WebSocket counts as a call to the
	 * same host.
	 */
	static OkHttpClient client(Duration pingInterval) {
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(100_000);
		dispatcher.setMaxRequestsPerHost(100_000);
		return new OkHttpClient.Builder().dispatcher(dispatcher)
			.pingInterval(pingInterval)
			.connectTimeout(10, TimeUnit.SECONDS)
			.build();
	}

	/**
	 * OkHttp takes ws:// URLs too; kept as a string so that 127.0.0.x hosts are used as
	 * given.
	 */
	static String httpUrl(URI uri) {
		return uri.toString();
	}

	static void shutdown(OkHttpClient client) {
		client.dispatcher().cancelAll();
		client.dispatcher().executorService().shutdown();
		client.connectionPool().evictAll();
	}

	static String version() {
		Package pkg = OkHttpClient.class.getPackage();
		String version = (pkg != null) ? pkg.getImplementationVersion() : null;
		return (version != null) ? version : okhttp3.OkHttp.VERSION;
	}

}
