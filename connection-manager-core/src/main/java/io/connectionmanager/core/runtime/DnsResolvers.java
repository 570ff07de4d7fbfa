package io.connectionmanager.core.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

/**
 * Netty's asynchronous DNS resolver, for the runtime's event loops. Netty's default
 * resolver calls {@code InetAddress.getByName} on the event loop, so one slow name server
 * would stall every connection on that loop; this one sends its queries from the loop
 * without ever waiting. Answers are cached for their TTL and no longer (negative answers
 * not at all); the hosts file and IP literals are answered without a query.
 */
final class DnsResolvers {

	private DnsResolvers() {
	}

	/**
	 * @param nameServers the name servers to ask, in order; empty for the system's
	 * ({@code /etc/resolv.conf})
	 * @param queryTimeout how long one query may take, or {@code null} for the system's
	 * ({@code options timeout}, 5 s by default)
	 */
	static AddressResolverGroup<InetSocketAddress> create(List<InetSocketAddress> nameServers, Duration queryTimeout) {
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder().datagramChannelType(NioDatagramChannel.class)
			// TCP for answers too large for a datagram
			.socketChannelType(NioSocketChannel.class);
		if (!nameServers.isEmpty()) {
			builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(nameServers));
		}
		if (queryTimeout != null) {
			builder.queryTimeoutMillis(queryTimeout.toMillis());
		}
		return new DnsAddressResolverGroup(builder);
	}

}
