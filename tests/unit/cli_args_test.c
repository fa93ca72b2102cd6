// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the pvsplit CLI's argument and xenstore path parsing, and
 * of its table of device types.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "cli.h"

TEST(numbers)
{
	unsigned long v;

	EXPECT_EQ(0, pvs_parse_uint("0", 10, &v));
	EXPECT_EQ(0u, v);
	EXPECT_EQ(0, pvs_parse_uint("32751", PVS_DOMID_MAX, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint("32752", PVS_DOMID_MAX, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint("", 10, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint(NULL, 10, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint("-1", 10, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint(" 1", 10, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint("1x", 10, &v));
	EXPECT_EQ(-EINVAL, pvs_parse_uint("99999999999999999999999", ~0ul, &v));
}

TEST(states)
{
	EXPECT_EQ(PVS_CONNECTED, pvs_parse_state("connected"));
	EXPECT_EQ(PVS_CONNECTED, pvs_parse_state("Connected"));
	EXPECT_EQ(PVS_CONNECTED, pvs_parse_state("4"));
	EXPECT_EQ(PVS_CLOSED, pvs_parse_state("closed"));
	EXPECT_EQ(PVS_INITWAIT, pvs_parse_state("InitWait"));
	EXPECT_EQ(-EINVAL, pvs_parse_state("9"));
	EXPECT_EQ(-EINVAL, pvs_parse_state("open"));
	EXPECT_STREQ("connected", pvs_state_name(4));
	EXPECT_STREQ("invalid", pvs_state_name(-1));
	EXPECT_STREQ("invalid", pvs_state_name(42));
}

TEST(device_ids_and_types)
{
	unsigned int id;

	EXPECT_TRUE(pvs_known_type("pvbench"));
	EXPECT_FALSE(pvs_known_type("pvbench2"));
	EXPECT_FALSE(pvs_known_type(NULL));
	EXPECT_EQ(0, pvs_parse_devid("pvbench", "7", &id));
	EXPECT_EQ(7u, id);
	EXPECT_EQ(-EINVAL, pvs_parse_devid("pvbench", "65536", &id));
	EXPECT_EQ(-EINVAL, pvs_parse_devid("pvbench", "a", &id));
	EXPECT_EQ(-EINVAL, pvs_parse_devid("nope", "1", &id));
}

TEST(vdev_names)
{
	unsigned int v;

	EXPECT_EQ(0, pvs_parse_vdev("xvda", &v));
	EXPECT_EQ(51712u, v);
	EXPECT_EQ(0, pvs_parse_vdev("xvdb", &v));
	EXPECT_EQ(51728u, v);
	EXPECT_EQ(0, pvs_parse_vdev("xvdp", &v));
	EXPECT_EQ(202u << 8 | 240u, v);
	EXPECT_EQ(0, pvs_parse_vdev("xvdq", &v));
	EXPECT_EQ(1u << 28 | 16u << 8, v);
	EXPECT_EQ(0, pvs_parse_vdev("xvdaa", &v));
	EXPECT_EQ(1u << 28 | 26u << 8, v);
	EXPECT_EQ(0, pvs_parse_vdev("51744", &v));
	EXPECT_EQ(51744u, v);
	EXPECT_EQ(0, pvs_parse_devid("vbd", "xvdc", &v));
	EXPECT_EQ(51744u, v);
	EXPECT_EQ(-EINVAL, pvs_parse_vdev("xvd", &v));
	EXPECT_EQ(-EINVAL, pvs_parse_vdev("xvdb1", &v));
	EXPECT_EQ(-EINVAL, pvs_parse_vdev("sda", &v));
	EXPECT_EQ(-EINVAL, pvs_parse_vdev("xvdB", &v));
}

TEST(vdev_numbers_to_names)
{
	static const char *const names[] = {
		"xvda", "xvdb", "xvdp", "xvdq", "xvdz", "xvdaa", "xvdbz",
	};
	unsigned int i, v;
	char buf[16];

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ASSERT_EQ(0, pvs_parse_vdev(names[i], &v));
		ASSERT_EQ(0, pvs_vdev_name(v, buf, sizeof(buf)));
		EXPECT_STREQ(names[i], buf);
	}
	EXPECT_EQ(-EINVAL, pvs_vdev_name(202u << 8 | 1, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, pvs_vdev_name(8u << 8, buf, sizeof(buf)));
}

TEST(paths)
{
	char buf[PVS_PATH_MAX], tiny[16];

	EXPECT_EQ(0, pvs_fe_path(buf, sizeof(buf), 3, "pvbench", 1));
	EXPECT_STREQ("/local/domain/3/device/pvbench/1", buf);
	EXPECT_EQ(0, pvs_be_path(buf, sizeof(buf), 0, "pvbench", 3, 1));
	EXPECT_STREQ("/local/domain/0/backend/pvbench/3/1", buf);
	EXPECT_EQ(-ENAMETOOLONG, pvs_fe_path(tiny, sizeof(tiny), 3, "pvbench", 1));
	EXPECT_EQ(-EINVAL, pvs_fe_path(buf, sizeof(buf), 40000, "pvbench", 1));
	EXPECT_EQ(-EINVAL, pvs_be_path(buf, sizeof(buf), 0, "../x", 3, 1));
	EXPECT_EQ(0, pvs_join(buf, sizeof(buf), "/a", "b"));
	EXPECT_STREQ("/a/b", buf);
	EXPECT_EQ(-ENAMETOOLONG, pvs_join(tiny, sizeof(tiny), "/aaaaaaaaaaaa", "bbbb"));
}

TEST(domain_names)
{
	EXPECT_TRUE(pvs_domain_name_ok("guest1"));
	EXPECT_TRUE(pvs_domain_name_ok("my guest.example"));
	EXPECT_FALSE(pvs_domain_name_ok(""));
	EXPECT_FALSE(pvs_domain_name_ok("a/b"));
	EXPECT_FALSE(pvs_domain_name_ok("a\nb"));
}

TEST(options)
{
	struct pvs_opt o[] = {
		PVS_OPT("devid", true), PVS_OPT("force", false),
	};
	static char *const argv[] = { "pvbench", "--devid", "3", "g1", "--force" };
	static char *const argv2[] = { "--devid=5", "x" };
	static char *const bad1[] = { "--nope" };
	static char *const bad2[] = { "--devid" };
	static char *const bad3[] = { "--force=1" };
	static char *const bad4[] = { "a", "b", "c" };
	const char *pos[2];
	unsigned int n;

	ASSERT_EQ(0, pvs_opts_parse(5, argv, o, 2, pos, 2, &n));
	EXPECT_EQ(2u, n);
	EXPECT_STREQ("pvbench", pos[0]);
	EXPECT_STREQ("g1", pos[1]);
	EXPECT_STREQ("3", pvs_opt(o, 2, "devid"));
	EXPECT_STREQ("", pvs_opt(o, 2, "force"));
	o[0].val = o[1].val = NULL;
	ASSERT_EQ(0, pvs_opts_parse(2, argv2, o, 2, pos, 2, &n));
	EXPECT_STREQ("5", pvs_opt(o, 2, "devid"));
	EXPECT_EQ(NULL, pvs_opt(o, 2, "force"));
	EXPECT_EQ(NULL, pvs_opt(o, 2, "missing"));
	EXPECT_EQ(-EINVAL, pvs_opts_parse(1, bad1, o, 2, pos, 2, &n));
	EXPECT_EQ(-EINVAL, pvs_opts_parse(1, bad2, o, 2, pos, 2, &n));
	EXPECT_EQ(-EINVAL, pvs_opts_parse(1, bad3, o, 2, pos, 2, &n));
	EXPECT_EQ(-EINVAL, pvs_opts_parse(3, bad4, o, 2, pos, 2, &n));
}

TEST(command_arguments)
{
	struct pvs_opt o[] = { PVS_OPT("help", false), PVS_OPT("x", true) };
	static char *const help[] = { "--help" };
	static char *const two[] = { "a", "b" };
	static char *const one[] = { "a" };
	static char *const three[] = { "a", "b", "c" };
	const char *pos[2];
	unsigned int n;

	EXPECT_EQ(0, pvs_cmd_args(1, help, o, 2, pos, 2, 2, &n, ""));
	o[0].val = NULL;
	EXPECT_EQ(-1, pvs_cmd_args(2, two, o, 2, pos, 2, 2, &n, ""));
	EXPECT_EQ(2u, n);
	EXPECT_EQ(PVS_EXIT_USAGE, pvs_cmd_args(1, one, o, 2, pos, 2, 2, &n, ""));
	EXPECT_EQ(PVS_EXIT_USAGE, pvs_cmd_args(3, three, o, 2, pos, 2, 2, &n, ""));
	EXPECT_EQ(-1, pvs_cmd_args(1, one, o, 2, pos, 0, 1, &n, ""));
}

/* What attach, detach, list and show rely on in every entry. */
TEST(device_type_table)
{
	const struct pvs_devtype *const *t, *const *u;
	const struct pvs_opt *o, *p;
	unsigned int n = 0, nopts = 0;

	for (t = pvs_devtypes; *t; t++, n++) {
		size_t len;

		ASSERT_NE(NULL, (*t)->name);
		EXPECT_EQ(*t, pvs_devtype((*t)->name));
		EXPECT_TRUE(pvs_known_type((*t)->name));
		ASSERT_NE(NULL, (*t)->parse_devid);
		ASSERT_NE(NULL, (*t)->attach);
		ASSERT_NE(NULL, (*t)->usage);
		ASSERT_NE(NULL, (*t)->help);
		len = strlen((*t)->usage);
		EXPECT_EQ('\n', (*t)->usage[len - 1]);
		len = strlen((*t)->help);
		EXPECT_EQ('\n', (*t)->help[len - 1]);
		EXPECT_GE(6u, (*t)->nr_args);	/* attach's MAX_ATTACH_ARGS - 2 */
		/* a device written by one type is listed under its name only */
		for (u = pvs_devtypes; u != t; u++)
			EXPECT_NE(0, strcmp((*t)->name, (*u)->name));
		/* attach parses all types' options at once: they must agree */
		for (o = (*t)->opts; o && o->name; o++, nopts++) {
			EXPECT_NE(0, strcmp(o->name, "backend"));
			EXPECT_NE(0, strcmp(o->name, "help"));
			for (u = pvs_devtypes; u != t; u++)
				for (p = (*u)->opts; p && p->name; p++)
					if (!strcmp(p->name, o->name))
						EXPECT_EQ(p->has_arg, o->has_arg);
		}
	}
	EXPECT_LE(2u, n);
	EXPECT_GE(30u, nopts);	/* attach's MAX_ATTACH_OPTS - 2 */
	EXPECT_EQ(NULL, pvs_devtype("floppy"));
	EXPECT_EQ(NULL, pvs_devtype(NULL));
}

TEST(device_type_checks)
{
	const struct pvs_devtype *vbd = pvs_devtype("vbd");
	const struct pvs_devtype *pvb = pvs_devtype("pvbench");
	struct pvs_opt o[] = {
		PVS_OPT("devid", true), PVS_OPT("mode", true),
		PVS_OPT("sector-size", true),
	};
	static const char *const args[] = { "xvdb", "/nonexistent" };
	static const char *const bad[] = { "sda", "/nonexistent" };
	struct pvs_dev d = { 0 };

	ASSERT_NE(NULL, vbd);
	ASSERT_NE(NULL, pvb);
	d.type = vbd;
	EXPECT_EQ(0, vbd->check(&d, args, o, 3));
	EXPECT_EQ(51728u, d.devid);
	EXPECT_EQ(PVS_EXIT_USAGE, vbd->check(&d, bad, o, 3));
	o[1].val = "x";
	EXPECT_EQ(PVS_EXIT_USAGE, vbd->check(&d, args, o, 3));
	o[1].val = "r";
	o[2].val = "1024";
	EXPECT_EQ(PVS_EXIT_USAGE, vbd->check(&d, args, o, 3));
	o[2].val = "4096";
	EXPECT_EQ(0, vbd->check(&d, args, o, 3));

	d.type = pvb;
	d.devid = 0;
	EXPECT_EQ(0, pvb->check(&d, NULL, o, 3));
	o[0].val = "70000";
	EXPECT_EQ(PVS_EXIT_USAGE, pvb->check(&d, NULL, o, 3));
	o[0].val = "5";
	EXPECT_EQ(0, pvb->check(&d, NULL, o, 3));
	EXPECT_EQ(5u, d.devid);
}

TEST(device_keys)
{
	struct pvs_dev d = { 0 };

	d.type = pvs_devtype("vbd");
	pvs_dev_add_key(&d, true, "pvsplit-loop", "/dev/loop%d", 3);
	pvs_dev_add_key(&d, false, "virtual-device", "%u", 51728u);
	EXPECT_STREQ("/dev/loop3", pvs_dev_key(&d, true, "pvsplit-loop"));
	EXPECT_EQ(NULL, pvs_dev_key(&d, false, "pvsplit-loop"));
	EXPECT_STREQ("51728", pvs_dev_key(&d, false, "virtual-device"));
	EXPECT_EQ(NULL, pvs_dev_key(&d, true, "params"));
	d.fdom = 3;
	d.devid = 51728;
	ASSERT_EQ(0, pvs_dev_paths(&d));
	EXPECT_STREQ("/local/domain/3/device/vbd/51728", d.fe);
	EXPECT_STREQ("/local/domain/0/backend/vbd/3/51728", d.be);
}

TEST(mac_addresses)
{
	unsigned char m[6];

	ASSERT_EQ(0, pvs_parse_mac("00:16:3e:5a:00:01", m));
	EXPECT_EQ(0x00, m[0]);
	EXPECT_EQ(0x3e, m[2]);
	EXPECT_EQ(0x01, m[5]);
	ASSERT_EQ(0, pvs_parse_mac("02:AB:cd:EF:12:34", m));
	EXPECT_EQ(0xab, m[1]);
	EXPECT_EQ(0xef, m[3]);
	EXPECT_EQ(-EINVAL, pvs_parse_mac("00:00:00:00:00:00", m));	/* none */
	EXPECT_EQ(-EINVAL, pvs_parse_mac("01:16:3e:00:00:01", m));	/* multicast */
	EXPECT_EQ(-EINVAL, pvs_parse_mac("ff:ff:ff:ff:ff:ff", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac("00:16:3e:5a:00", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac("00:16:3e:5a:00:01:02", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac("00-16-3e-5a-00-01", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac("00:16:3e:5a:0g:01", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac("0:16:3e:5a:00:011", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac("", m));
	EXPECT_EQ(-EINVAL, pvs_parse_mac(NULL, m));
}

TEST(rates)
{
	unsigned long long b;
	unsigned long us;

	ASSERT_EQ(0, pvs_parse_rate("1250000/50000", &b, &us));
	EXPECT_EQ(1250000ull, b);
	EXPECT_EQ(50000ul, us);
	EXPECT_EQ(0, pvs_parse_rate("1/1", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("0/1000", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("1000/0", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("1000", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("/1000", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("1000/", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("1000/3600000001", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate("10M/1000", &b, &us));
	EXPECT_EQ(-EINVAL, pvs_parse_rate(NULL, &b, &us));
}

TEST(vif_type)
{
	unsigned int id;

	EXPECT_TRUE(pvs_known_type("vif"));
	EXPECT_EQ(0, pvs_parse_devid("vif", "0", &id));
	EXPECT_EQ(0u, id);
	EXPECT_EQ(-EINVAL, pvs_parse_devid("vif", "65536", &id));
}

TEST_HARNESS_MAIN
