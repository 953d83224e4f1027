/* test_allow.c - address allow-lists (src/allow.c): exact addresses,
 * prefixes, both families, IPv4-mapped IPv6, bad entries. */
#include "allow.h"
#include "check.h"

#include <arpa/inet.h>
#include <netinet/in.h>

int main(void)
{
	const char *list = "127.0.0.1, 10.0.0.0/8 ::1 2001:db8::/32";
	CHECK(allow_text(list, "127.0.0.1"));
	CHECK(!allow_text(list, "127.0.0.2"));
	CHECK(allow_text(list, "10.200.3.4"));
	CHECK(!allow_text(list, "11.0.0.1"));
	CHECK(allow_text(list, "::1"));
	CHECK(allow_text(list, "2001:db8:1::5"));
	CHECK(!allow_text(list, "2001:db9::1"));
	CHECK(allow_text(list, "::ffff:10.1.2.3")); /* IPv4-mapped */
	CHECK(!allow_text(list, "nonsense"));
	CHECK(!allow_text(list, NULL));
	CHECK(!allow_text("", "127.0.0.1"));
	CHECK(allow_text("0.0.0.0/0", "192.0.2.7"));
	CHECK(!allow_text("0.0.0.0/0", "2001:db8::1"));
	CHECK(allow_text("192.0.2.128/25", "192.0.2.200"));
	CHECK(!allow_text("192.0.2.128/25", "192.0.2.100"));

	const char *bad = NULL;
	CHECK(allow_valid(list, &bad));
	CHECK(!allow_valid("127.0.0.1 10.0.0.0/33", &bad));
	CHECK_STR(bad, "10.0.0.0/33");
	CHECK(!allow_valid("example.org", &bad));

	struct sockaddr_in in = {.sin_family = AF_INET};
	inet_pton(AF_INET, "10.9.8.7", &in.sin_addr);
	CHECK(allow_sockaddr(list, (struct sockaddr *)&in));
	inet_pton(AF_INET, "192.0.2.1", &in.sin_addr);
	CHECK(!allow_sockaddr(list, (struct sockaddr *)&in));
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	CHECK(allow_sockaddr(list, (struct sockaddr *)&in6));
	return check_done("allow");
}
