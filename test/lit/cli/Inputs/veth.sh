# Sourced by the live tests: a veth pair whose far end sits in a network
# namespace, and traffic from there.
#   veth_up TAG NET   the pair ($host here, $peer in namespace $ns); NET is
#                     the /24's first three octets, $host gets NET.1
#   veth_down         removes them; for the script's own EXIT trap
#   send N            N UDP datagrams from the far end, 10 ms apart,
#                     through bash's /dev/udp (no traffic tool needed)
veth_up() {
	ns=inxpect-$1-$$ host=ix$1$$h peer=ix$1$$p addr=$2.1
	ip netns add "$ns"
	ip link add "$host" type veth peer name "$peer"
	ip link set "$peer" netns "$ns"
	ip addr add "$addr/24" dev "$host"
	ip link set "$host" up
	ip -n "$ns" addr add "$2.2/24" dev "$peer"
	ip -n "$ns" link set "$peer" up
	# A static neighbour: the programs drop ARP too.
	ip -n "$ns" neigh add "$addr" lladdr "$(cat /sys/class/net/$host/address)" dev "$peer"
}

veth_down() {
	ip netns del "${ns:-}" 2>/dev/null || true
	ip link del "${host:-}" 2>/dev/null || true
}

send() {
	ip netns exec "$ns" bash -c 'for i in $(seq '"$1"'); do echo "$i" >/dev/udp/'"$addr"'/9; sleep 0.01; done'
}
