// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of pvsplit top / stats: the collector run against a fake
 * sysfs and debugfs tree in a temporary directory, the rates between two
 * samples, JSON and Prometheus output, and the view at several widths.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cli.h"

/* mkdir -p of @path's parent, then write @text into @path */
static int put(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* <root>/<dev>/driver -> ../../../bus/.../drivers/<drv> */
static int bind(const char *root, const char *dev, const char *drv)
{
	char path[PATH_MAX], target[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/driver", root, dev);
	snprintf(target, sizeof(target), "../../../../bus/xen/drivers/%s", drv);
	return symlink(target, path);
}

static const char *ring_file(unsigned long long consumed,
			     unsigned long long sent, unsigned long long wake,
			     unsigned long long b0, unsigned long long b3,
			     int broken)
{
	static char buf[4][640];
	static unsigned int n;
	char *b = buf[n++ % 4];

	snprintf(b, sizeof(buf[0]),
		 "size 32\norder 0\nprod_pvt 5\npublished 5\ncons 5\npeer_seen 5\n"
		 "broken %d\nshared req_prod 5 req_event 6 rsp_prod 5 rsp_event 6\n"
		 "produced %llu\nconsumed %llu\npublishes 3\n"
		 "notify_sent %llu\nnotify_suppressed 1\n"
		 "wakeups %llu\nspurious 0\nprotocol_errors %d\n"
		 "batch %llu 0 0 %llu 0 0 0 0 0 0 0 0 0 0 0 0\n",
		 broken, consumed, consumed, sent, wake, broken, b0, b3);
	return b;
}

/* a histogram file: @n samples at 1000 ns, @m at 100000 ns */
static const char *hist_file(unsigned long long n, unsigned long long m)
{
	static char buf[4][256];
	static unsigned int k;
	char *b = buf[k++ % 4];
	int len;

	len = snprintf(b, sizeof(buf[0]), "count %llu\nsum %llu\nmean 0\np50 0\np90 0\np99 0\n",
		       n + m, n * 1000 + m * 100000);
	if (n)
		len += snprintf(b + len, sizeof(buf[0]) - len, ">=%llu %llu\n",
				(unsigned long long)pvhist_lower(pvhist_bucket(1000)), n);
	if (m)
		snprintf(b + len, sizeof(buf[0]) - len, ">=%llu %llu\n",
			 (unsigned long long)pvhist_lower(pvhist_bucket(100000)), m);
	return b;
}

#define BE	"sys/bus/xen-backend/devices/"
#define FE	"sys/bus/xen/devices/"
#define DBG	"sys/kernel/debug/pvsplit/"

/*
 * One block device at both ends (rings 0 and 1), a stock xen-blkback
 * device and an unbound one (both ignored), a vif with one queue.
 * @k scales the counters: a later sample.
 */
static void build_tree(const char *root, unsigned long long k)
{
	char v[32];

	put(root, BE "vbd-3-51728/state", "Connected\n");
	snprintf(v, sizeof(v), "%llu\n", 100 * k);
	put(root, BE "vbd-3-51728/statistics/rd_req", v);
	put(root, BE "vbd-3-51728/statistics/wr_req", v);
	put(root, BE "vbd-3-51728/statistics/f_req", "0\n");
	put(root, BE "vbd-3-51728/statistics/ds_req", "0\n");
	snprintf(v, sizeof(v), "%llu\n", 800 * k);
	put(root, BE "vbd-3-51728/statistics/rd_sect", v);
	put(root, BE "vbd-3-51728/statistics/wr_sect", v);
	put(root, BE "vbd-3-51728/statistics/bad_req", "1\n");
	put(root, BE "vbd-3-51728/statistics/err_req", "0\n");
	bind(root, BE "vbd-3-51728", "pvblkback");
	put(root, DBG "pvblkback-3-51728/ring0/ring",
	    ring_file(150 * k, 10 * k, 20 * k, 10 * k, 10 * k, 0));
	put(root, DBG "pvblkback-3-51728/ring0/latency_ns", hist_file(100 * k, 5 * k));
	snprintf(v, sizeof(v), "%llu\n", 1200 * k);
	put(root, DBG "pvblkback-3-51728/ring0/rd_sect", v);
	put(root, DBG "pvblkback-3-51728/ring0/wr_sect", v);
	put(root, DBG "pvblkback-3-51728/ring0/bad_req", "1\n");
	put(root, DBG "pvblkback-3-51728/ring0/err_req", "0\n");
	put(root, DBG "pvblkback-3-51728/ring1/ring",
	    ring_file(50 * k, 5 * k, 5 * k, 50 * k, 0, 1));
	put(root, DBG "pvblkback-3-51728/ring1/latency_ns", hist_file(50 * k, 0));
	put(root, DBG "pvblkback-3-51728/ring1/rd_sect", "0\n");
	put(root, DBG "pvblkback-3-51728/ring1/wr_sect", "0\n");
	/* a directory that is not a ring, and a ring going away */
	put(root, DBG "pvblkback-3-51728/ringx/ring", "garbage\n");
	put(root, DBG "pvblkback-3-51728/ring7/latency_ns", hist_file(1, 0));

	put(root, BE "vbd-4-51712/state", "Connected\n");
	put(root, BE "vbd-4-51712/statistics/rd_req", "5\n");
	bind(root, BE "vbd-4-51712", "vbd");		/* xen-blkback */
	put(root, BE "vbd-5-51712/state", "InitWait\n");	/* unbound */

	put(root, FE "vbd-51728/state", "Connected\n");
	put(root, FE "vbd-51728/disk_state", "connected\n");
	snprintf(v, sizeof(v), "%llu\n", 10 * k);
	put(root, FE "vbd-51728/statistics/reads", v);
	put(root, FE "vbd-51728/statistics/writes", "0\n");
	put(root, FE "vbd-51728/statistics/errors", "0\n");
	bind(root, FE "vbd-51728", "pvblkfront");
	put(root, DBG "pvblkfront/vbd-51728/ring0/ring",
	    ring_file(10 * k, 10 * k, 10 * k, 10 * k, 0, 0));

	put(root, BE "vif-3-0/state", "Connected\n");
	snprintf(v, sizeof(v), "%llu\n", 1000 * k);
	put(root, BE "vif-3-0/net/vif3.0/statistics/rx_packets", v);
	put(root, BE "vif-3-0/net/vif3.0/statistics/tx_packets", v);
	put(root, BE "vif-3-0/net/vif3.0/statistics/rx_bytes", "1000000\n");
	put(root, BE "vif-3-0/net/vif3.0/statistics/tx_bytes", "0\n");
	put(root, BE "vif-3-0/net/vif3.0/statistics/rx_dropped", "2\n");
	bind(root, BE "vif-3-0", "pvnetback");
	put(root, DBG "pvnetback-3-0/queue0/tx", ring_file(7, 1, 1, 7, 0, 0));
	put(root, DBG "pvnetback-3-0/queue0/rx", ring_file(9, 1, 1, 9, 0, 0));
	put(root, DBG "pvnetback-3-0/queue0/rx_packets", "30\n");
	put(root, DBG "pvnetback-3-0/queue0/tx_packets", "40\n");
	put(root, DBG "pvnetback-3-0/queue0/rx_bytes", "3000\n");
	put(root, DBG "pvnetback-3-0/queue0/tx_bytes", "4000\n");
}

FIXTURE(tree) {
	char root[64];
	struct pvs_collect c;
};

FIXTURE_SETUP(tree)
{
	snprintf(self->root, sizeof(self->root), "/tmp/pvsplit-stats-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	build_tree(self->root, 1);
	pvs_collect_init(&self->c, self->root, 3);
}

FIXTURE_TEARDOWN(tree)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->root);
	if (system(cmd))
		TH_LOG("could not remove %s", self->root);
}

static const struct pvs_sdev *dev_of(const struct pvs_sample *s,
				     const char *driver)
{
	unsigned int i;

	for (i = 0; i < s->nr_devs; i++)
		if (!strcmp(s->devs[i].drv->driver, driver))
			return &s->devs[i];
	return NULL;
}

TEST_F(tree, finds_our_devices_both_ends)
{
	const struct pvs_sdev *be, *fe, *vif;
	struct pvs_sample s;

	ASSERT_EQ(0, pvs_collect(&self->c, &s, 1000));
	/* the stock back end's device and the unbound one are not ours */
	EXPECT_EQ(3u, s.nr_devs);
	be = dev_of(&s, "pvblkback");
	fe = dev_of(&s, "pvblkfront");
	vif = dev_of(&s, "pvnetback");
	ASSERT_NE(NULL, be);
	ASSERT_NE(NULL, fe);
	ASSERT_NE(NULL, vif);

	EXPECT_STREQ("vbd-51728", be->name);
	EXPECT_EQ(3, be->domid);
	EXPECT_STREQ("connected", be->state);
	EXPECT_EQ(200u, be->reqs);			/* rd_req + wr_req */
	EXPECT_EQ(1600u * 512, be->bytes);
	/* bad_req, and the broken ring's protocol error */
	EXPECT_EQ(2u, be->errors);
	ASSERT_EQ(2u, be->nr_rings);			/* not ringx, not ring7 */
	EXPECT_EQ(0u, be->rings[0].index);
	EXPECT_EQ(1u, be->rings[1].index);
	EXPECT_EQ(150u, be->rings[0].reqs);
	EXPECT_EQ(20u, be->rings[0].batches);
	EXPECT_EQ(2400u * 512, be->rings[0].bytes);
	EXPECT_TRUE(be->rings[0].has_lat);
	EXPECT_EQ(105u, be->rings[0].lat.count);
	EXPECT_TRUE(be->rings[1].broken);
	EXPECT_FALSE(be->rings[0].broken);
	EXPECT_TRUE(be->broken);
	EXPECT_EQ(155u, be->lat.count);			/* both rings */
	EXPECT_EQ(15u, be->notify_sent);

	/* a front end's domain is this domain */
	EXPECT_EQ(3, fe->domid);
	EXPECT_STREQ("connected", fe->detail);
	EXPECT_EQ(10u, fe->reqs);
	EXPECT_FALSE(fe->has_bytes);			/* no sector files */
	ASSERT_EQ(1u, fe->nr_rings);

	EXPECT_STREQ("vif3.0", vif->netdev);
	EXPECT_EQ(2000u, vif->reqs);			/* netdev packets */
	EXPECT_EQ(1000000u, vif->bytes);
	EXPECT_EQ(2u, vif->errors);
	ASSERT_EQ(1u, vif->nr_rings);
	EXPECT_EQ(70u, vif->rings[0].reqs);		/* packets, not slots */
	EXPECT_EQ(16u, vif->rings[0].reqs_slots);	/* tx + rx rings */
	EXPECT_EQ(7000u, vif->rings[0].bytes);
	pvs_sample_free(&s);
}

TEST_F(tree, no_debugfs_still_gives_device_totals)
{
	struct pvs_collect c = self->c;
	const struct pvs_sdev *be;
	struct pvs_sample s;

	snprintf(c.dbg_root, sizeof(c.dbg_root), "%s/nowhere", self->root);
	ASSERT_EQ(0, pvs_collect(&c, &s, 0));
	be = dev_of(&s, "pvblkback");
	ASSERT_NE(NULL, be);
	EXPECT_EQ(0u, be->nr_rings);
	EXPECT_EQ(200u, be->reqs);
	EXPECT_EQ(1u, be->errors);
	pvs_sample_free(&s);
}

TEST_F(tree, rates_over_the_interval)
{
	const struct pvs_sdev *be;
	struct pvs_sample a, b;

	ASSERT_EQ(0, pvs_collect(&self->c, &a, 1000000000ull));
	build_tree(self->root, 3);
	ASSERT_EQ(0, pvs_collect(&self->c, &b, 3000000000ull));	/* 2 s */
	pvs_rates(&b, &a);
	pvs_sort_by_load(&b);
	/* the vif moved the most requests: 4000 packets in 2 s */
	EXPECT_STREQ("pvnetback", b.devs[0].drv->driver);
	EXPECT_EQ(2000.0, b.devs[0].rate.req_s);
	be = dev_of(&b, "pvblkback");
	ASSERT_NE(NULL, be);
	EXPECT_EQ(200.0, be->rate.req_s);		/* 400 more in 2 s */
	EXPECT_EQ(1600.0 * 2 * 512 / 2 / 1e6, be->rate.mb_s);
	/* ring 0: 300 slots in 40 batches, 20 + 40 notifications */
	EXPECT_EQ(7.5, be->rings[0].rate.batch);
	EXPECT_EQ(0.2, be->rings[0].rate.ntf_req);
	/* p50/p99 from what the histogram gained: 200 fast, 10 slow */
	EXPECT_LT(900.0, be->rings[0].rate.p50_ns);
	EXPECT_GT(1100.0, be->rings[0].rate.p50_ns);
	EXPECT_LT(90000.0, be->rings[0].rate.p99_ns);
	EXPECT_GT(110000.0, be->rings[0].rate.p99_ns);
	/* ring 1 only gained fast samples */
	EXPECT_GT(1100.0, be->rings[1].rate.p99_ns);
	pvs_sample_free(&a);
	pvs_sample_free(&b);
}

TEST(idle_ring_shows_dashes)
{
	struct pvs_sample a = { 0 }, b = { 0 };
	struct pvs_sdev d = { 0 };
	struct pvs_ring r = { 0 };

	d.drv = pvs_drv_find("pvbenchback");
	ASSERT_NE(NULL, d.drv);
	d.rings = &r;
	d.nr_rings = 1;
	a.devs = &d;
	a.nr_devs = 1;
	a.t_ns = 0;
	b = a;
	b.t_ns = 1000000000;
	pvs_rates(&b, &a);
	EXPECT_EQ(0.0, r.rate.req_s);
	EXPECT_EQ(-1.0, r.rate.mb_s);
	EXPECT_EQ(-1.0, r.rate.batch);
	EXPECT_EQ(-1.0, r.rate.ntf_req);
	EXPECT_EQ(-1.0, r.rate.p50_ns);
}

TEST(ring_and_hist_files)
{
	struct pvs_ring r = { 0 };
	struct pvhist *h = calloc(1, sizeof(*h));
	FILE *f;

	ASSERT_NE(NULL, h);
	f = fmemopen((void *)ring_file(5, 2, 3, 1, 1, 0), 600, "r");
	ASSERT_NE(NULL, f);
	EXPECT_EQ(0, pvs_parse_ring(f, &r));
	fclose(f);
	EXPECT_EQ(5u, r.reqs_slots);
	EXPECT_EQ(2u, r.batches);
	EXPECT_EQ(2u, r.notify_sent);
	EXPECT_EQ(3u, r.wakeups);

	/* a counter missing, a garbled value */
	f = fmemopen("consumed 5\nbroken 0\n", 20, "r");
	EXPECT_EQ(-EINVAL, pvs_parse_ring(f, &r));
	fclose(f);
	f = fmemopen("consumed x\n", 11, "r");
	EXPECT_EQ(-EINVAL, pvs_parse_ring(f, &r));
	fclose(f);

	f = fmemopen((void *)hist_file(3, 1), strlen(hist_file(3, 1)), "r");
	EXPECT_EQ(0, pvs_parse_hist(f, h));
	fclose(f);
	EXPECT_EQ(4u, h->count);
	EXPECT_EQ(103000u, h->sum);
	/* buckets that do not add up to the count, a bucket bound off grid */
	f = fmemopen("count 2\n>=16 1\n", 15, "r");
	EXPECT_EQ(-EINVAL, pvs_parse_hist(f, h));
	fclose(f);
	f = fmemopen("count 1\n>=17 1\n", 15, "r");
	EXPECT_EQ(-EINVAL, pvs_parse_hist(f, h));
	fclose(f);
	free(h);
}

TEST(read_u64)
{
	char path[] = "/tmp/pvsplit-u64-XXXXXX";
	int fd = mkstemp(path);
	uint64_t v;

	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "42\n", 3));
	close(fd);
	EXPECT_EQ(0, pvs_read_u64(path, &v));
	EXPECT_EQ(42u, v);
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_EQ(4, write(fd, "4x2\n", 4));
	close(fd);
	EXPECT_EQ(-EINVAL, pvs_read_u64(path, &v));
	unlink(path);
	EXPECT_EQ(-ENOENT, pvs_read_u64(path, &v));
}

/* Output of @fn into a string; caller frees. */
#define CAPTURE(buf, len, call) do {					\
	FILE *f_ = open_memstream(&(buf), &(len));			\
	ASSERT_NE(NULL, f_);						\
	call;								\
	fclose(f_);							\
} while (0)

TEST_F(tree, json_has_every_device_and_ring)
{
	struct pvs_sample s;
	char *out = NULL;
	size_t len = 0;

	ASSERT_EQ(0, pvs_collect(&self->c, &s, 0));
	CAPTURE(out, len, pvs_stats_json(f_, &s, 1234));
	EXPECT_NE(NULL, strstr(out, "{\"version\": 1, \"time\": 1234, \"devices\": ["));
	EXPECT_NE(NULL, strstr(out, "\"end\": \"back\", \"driver\": \"pvblkback\", \"type\": \"vbd\", \"device\": \"vbd-51728\", \"domain\": 3"));
	EXPECT_NE(NULL, strstr(out, "\"requests\": 200, \"bytes\": 819200"));
	EXPECT_NE(NULL, strstr(out, "{\"ring\": 1, \"requests\": 50"));
	EXPECT_NE(NULL, strstr(out, "\"broken\": true"));
	EXPECT_NE(NULL, strstr(out, "\"netdev\": \"vif3.0\""));
	EXPECT_NE(NULL, strstr(out, "\"latency\": {\"count\": 105, \"sum_ns\": 600000"));
	EXPECT_EQ(0, strcmp(out + len - 3, "\n]}\n" + 1));
	free(out);
	pvs_sample_free(&s);

	/* no devices: still one valid object */
	memset(&s, 0, sizeof(s));
	CAPTURE(out, len, pvs_stats_json(f_, &s, 0));
	EXPECT_STREQ("{\"version\": 1, \"time\": 0, \"devices\": []}\n", out);
	free(out);
}

TEST_F(tree, prometheus_families_and_labels)
{
	struct pvs_sample s;
	char *out = NULL, *line, *save = NULL, family[96] = "";
	size_t len = 0;
	unsigned int samples = 0;

	ASSERT_EQ(0, pvs_collect(&self->c, &s, 0));
	CAPTURE(out, len, pvs_stats_prometheus(f_, &s));
	EXPECT_NE(NULL, strstr(out, "# TYPE pvsplit_device_requests_total counter\n"
			       "pvsplit_device_requests_total{domain=\"3\",device=\"vbd-51728\",end=\"back\",driver=\"pvblkback\"} 200\n"));
	EXPECT_NE(NULL, strstr(out, "pvsplit_ring_requests_total{domain=\"3\",device=\"vbd-51728\",end=\"back\",driver=\"pvblkback\",ring=\"1\"} 50\n"));
	EXPECT_NE(NULL, strstr(out, "pvsplit_ring_broken{domain=\"3\",device=\"vbd-51728\",end=\"back\",driver=\"pvblkback\",ring=\"1\"} 1\n"));
	EXPECT_NE(NULL, strstr(out, "pvsplit_ring_latency_seconds{domain=\"3\",device=\"vbd-51728\",end=\"back\",driver=\"pvblkback\",ring=\"0\",quantile=\"0.99\"} 0.000102"));
	EXPECT_NE(NULL, strstr(out, "pvsplit_ring_latency_seconds_count{domain=\"3\",device=\"vbd-51728\",end=\"back\",driver=\"pvblkback\",ring=\"0\"} 105\n"));
	EXPECT_NE(NULL, strstr(out, "pvsplit_device_up{domain=\"3\",device=\"vbd-51728\",end=\"back\",driver=\"pvblkback\"} 0\n"));
	EXPECT_NE(NULL, strstr(out, "pvsplit_device_up{domain=\"3\",device=\"vbd-51728\",end=\"front\",driver=\"pvblkfront\"} 1\n"));
	/* the front end has no sector files: no bytes sample */
	EXPECT_EQ(NULL, strstr(out, "pvsplit_device_bytes_total{domain=\"3\",device=\"vbd-51728\",end=\"front\""));

	/* every sample belongs to the family of the TYPE line before it */
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "# TYPE ", 7)) {
			snprintf(family, sizeof(family), "%.*s",
				 (int)strcspn(line + 7, " "), line + 7);
			continue;
		}
		if (line[0] == '#')
			continue;
		samples++;
		EXPECT_EQ(0, strncmp(line, family, strlen(family)));
		EXPECT_TRUE(strchr(line, '{') != NULL);
	}
	EXPECT_LT(30u, samples);
	free(out);
	pvs_sample_free(&s);
}

TEST(label_escape)
{
	char *out = NULL;
	size_t len = 0;

	CAPTURE(out, len, pvs_label_escape(f_, "a\"b\\c\nd"));
	EXPECT_STREQ("a\\\"b\\\\c\\nd", out);
	free(out);
}

TEST(number_formats)
{
	char b[16];

	pvs_fmt_count(b, sizeof(b), 0);
	EXPECT_STREQ("0.0", b);
	pvs_fmt_count(b, sizeof(b), 12.34);
	EXPECT_STREQ("12.3", b);
	pvs_fmt_count(b, sizeof(b), 999);
	EXPECT_STREQ("999", b);
	pvs_fmt_count(b, sizeof(b), 1234);
	EXPECT_STREQ("1.23k", b);
	pvs_fmt_count(b, sizeof(b), 45600000);
	EXPECT_STREQ("45.6M", b);
	pvs_fmt_count(b, sizeof(b), 999999);
	EXPECT_STREQ("1.00M", b);
	pvs_fmt_count(b, sizeof(b), -1);
	EXPECT_STREQ("-", b);
	pvs_fmt_ns(b, sizeof(b), 850);
	EXPECT_STREQ("850ns", b);
	pvs_fmt_ns(b, sizeof(b), 12345);
	EXPECT_STREQ("12.3us", b);
	pvs_fmt_ns(b, sizeof(b), 4.1e6);
	EXPECT_STREQ("4.1ms", b);
	pvs_fmt_ns(b, sizeof(b), 1.2e9);
	EXPECT_STREQ("1.20s", b);
	pvs_fmt_ns(b, sizeof(b), -1);
	EXPECT_STREQ("-", b);
}

/* The longest line of @s. */
static size_t widest(const char *s)
{
	size_t w = 0;

	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n > w)
			w = n;
		s += n + (s[n] == '\n');
	}
	return w;
}

TEST_F(tree, view_fits_any_width)
{
	static const unsigned int widths[] = { 200, 100, 80, 60, 40, 24, 12 };
	struct pvs_sample a, b;
	char *out = NULL;
	size_t len = 0;
	unsigned int i;

	ASSERT_EQ(0, pvs_collect(&self->c, &a, 0));
	build_tree(self->root, 2);
	ASSERT_EQ(0, pvs_collect(&self->c, &b, 1000000000));
	pvs_rates(&b, &a);
	pvs_sort_by_load(&b);

	CAPTURE(out, len, pvs_top_render(f_, &b, 0, 1.0));
	EXPECT_NE(NULL, strstr(out, "DEVICE     END     DOM STATE          REQ/S    MB/S  BATCH NTF/REQ     P50     P99    ERR\n"));
	/* busiest first: the vif, then the back end with its rings */
	EXPECT_NE(NULL, strstr(out, "\nvif-0      back      3 connected      2.00k     0.0      -       -       -       -      2\n"));
	EXPECT_NE(NULL, strstr(out, "\nvbd-51728  back      3 broken           200     0.8    2.9    0.20   991ns 102.4us      2\n"));
	EXPECT_NE(NULL, strstr(out, "\n  ring1                broken          50.0     0.0    1.0    0.20   991ns   991ns      1\n"));
	EXPECT_NE(NULL, strstr(out, "\nvbd-51728  front     3 connected       10.0       -    1.0    2.00       -       -      0\n"));
	EXPECT_NE(NULL, strstr(out, "\n  queue0 "));
	free(out);

	for (i = 0; i < ARRAY_SIZE(widths); i++) {
		CAPTURE(out, len, pvs_top_render(f_, &b, widths[i], 1.0));
		EXPECT_GE(widths[i], widest(out));
		/* the name and requests/s stay at any width */
		EXPECT_NE(NULL, strstr(out, "REQ/S"));
		if (widths[i] >= 24)
			EXPECT_NE(NULL, strstr(out, "vbd-5"));
		if (widths[i] >= 80) {
			EXPECT_NE(NULL, strstr(out, "P99"));
			EXPECT_NE(NULL, strstr(out, "STATE"));
		}
		if (widths[i] < 80)
			EXPECT_EQ(NULL, strstr(out, "NTF/REQ"));
		TH_LOG("width %u:\n%s", widths[i], out);
		free(out);
	}
	pvs_sample_free(&a);
	pvs_sample_free(&b);
}

TEST(short_options)
{
	struct pvs_opt opts[] = {
		PVS_OPT("once", false), PVS_OPT_SHORT("delay", 'd', true),
	};
	static char *const argv1[] = { "-d", "0.5", "--once" };
	static char *const argv2[] = { "-d2" };
	static char *const argv3[] = { "-x" };
	static char *const argv4[] = { "-d" };
	const char *pos[1];
	unsigned int n;

	EXPECT_EQ(0, pvs_opts_parse(3, argv1, opts, 2, pos, 0, &n));
	EXPECT_STREQ("0.5", opts[1].val);
	EXPECT_STREQ("", opts[0].val);
	EXPECT_EQ(0, pvs_opts_parse(1, argv2, opts, 2, pos, 0, &n));
	EXPECT_STREQ("2", opts[1].val);
	EXPECT_EQ(-EINVAL, pvs_opts_parse(1, argv3, opts, 2, pos, 0, &n));
	EXPECT_EQ(-EINVAL, pvs_opts_parse(1, argv4, opts, 2, pos, 0, &n));
}

TEST_HARNESS_MAIN
