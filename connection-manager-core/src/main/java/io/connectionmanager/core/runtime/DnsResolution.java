package io.connectionmanager.core.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The runtime's name resolution: Netty's asynchronous DNS resolver, on an event loop of
 * its own. Netty's default resolver calls {@code InetAddress.getByName} on the I/O loop,
 * so one slow name server would stall every connection on that loop. This one never
 * waits, and its own work (the first lookup initialises IDN tables and draws thousands of
 * random query ids, about 0.2 s on a busy machine; parsing answers during a reconnect
 * storm) stays off the loops that carry messages and heartbeats. Answers are cached for
 * their TTL and no longer (negative answers not at all); the hosts file and IP literals
 * are answered without a query.
 */
final class DnsResolution implements AutoCloseable {

	private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
			new DefaultThreadFactory("connection-manager-dns", true), NioIoHandler.newFactory());

	private final AddressResolverGroup<InetSocketAddress> resolvers;

	private final AddressResolver<InetSocketAddress> resolver;

	/**
	 * @param nameServers the name servers to ask, in order; empty for the system's
	 * ({@code /etc/resolv.conf})
	 * @param queryTimeout how long one query may take, or {@code null} for the system's
	 * ({@code options timeout}, 5 s by default)
	 */
	DnsResolution(List<InetSocketAddress> nameServers, Duration queryTimeout) {
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder().datagramChannelType(NioDatagramChannel.class)
			// TCP for answers too large for a datagram
			.socketChannelType(NioSocketChannel.class);
		if (!nameServers.isEmpty()) {
			builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(nameServers));
		}
		if (queryTimeout != null) {
			builder.queryTimeoutMillis(queryTimeout.toMillis());
		}
		this.resolvers = new DnsAddressResolverGroup(builder);
		this.resolver = this.resolvers.getResolver(this.loop.next());
	}

	/**
	 * The resolver; callable from any thread (Netty hands the work to the DNS loop), its
	 * futures complete on the DNS loop.
	 */
	AddressResolver<InetSocketAddress> resolver() {
		return this.resolver;
	}

	@Override
	public void close() {
		this.resolvers.close();
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

}
