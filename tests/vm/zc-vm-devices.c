/* Guest test: the DRM, dma-buf and input devices of the test VM exist, found by driver
 * name (device numbering follows module load order). */
#include "vmutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

struct plane_count {
	int primary, overlay, cursor;
};

static struct plane_count count_planes(int fd)
{
	struct plane_count pc = { 0 };
	drmModePlaneResPtr res = drmModeGetPlaneResources(fd);
	for (uint32_t i = 0; res && i < res->count_planes; i++) {
		drmModeObjectPropertiesPtr props =
			drmModeObjectGetProperties(fd, res->planes[i], DRM_MODE_OBJECT_PLANE);
		for (uint32_t j = 0; props && j < props->count_props; j++) {
			drmModePropertyPtr p = drmModeGetProperty(fd, props->props[j]);
			if (p && strcmp(p->name, "type") == 0) {
				if (props->prop_values[j] == DRM_PLANE_TYPE_PRIMARY)
					pc.primary++;
				else if (props->prop_values[j] == DRM_PLANE_TYPE_OVERLAY)
					pc.overlay++;
				else if (props->prop_values[j] == DRM_PLANE_TYPE_CURSOR)
					pc.cursor++;
			}
			drmModeFreeProperty(p);
		}
		drmModeFreeObjectProperties(props);
	}
	drmModeFreePlaneResources(res);
	return pc;
}

struct conn_count {
	int virtual_connected, writeback;
};

static struct conn_count count_connectors(int fd, const char *label)
{
	struct conn_count cc = { 0 };
	drmModeResPtr res = drmModeGetResources(fd);
	for (int i = 0; res && i < res->count_connectors; i++) {
		drmModeConnectorPtr c = drmModeGetConnector(fd, res->connectors[i]);
		if (!c)
			continue;
		const char *type = drmModeGetConnectorTypeName(c->connector_type);
		printf("  %s connector %u: %s-%u, %s, %d modes\n", label, c->connector_id,
		       type ? type : "?", c->connector_type_id,
		       c->connection == DRM_MODE_CONNECTED ? "connected" : "not connected",
		       c->count_modes);
		if (c->connector_type == DRM_MODE_CONNECTOR_VIRTUAL &&
		    c->connection == DRM_MODE_CONNECTED)
			cc.virtual_connected++;
		if (c->connector_type == DRM_MODE_CONNECTOR_WRITEBACK)
			cc.writeback++;
		drmModeFreeConnector(c);
	}
	if (res)
		printf("  %s: %d crtcs, %d encoders, %d connectors\n", label, res->count_crtcs,
		       res->count_encoders, res->count_connectors);
	drmModeFreeResources(res);
	return cc;
}

static void print_map(void)
{
	DIR *d = opendir("/dev/dri");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "by-path") == 0)
			continue;
		char path[300];
		snprintf(path, sizeof(path), "/dev/dri/%s", e->d_name);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		drmVersionPtr v = fd >= 0 ? drmGetVersion(fd) : NULL;
		printf("  %s: %s\n", path, v ? v->name : "?");
		drmFreeVersion(v);
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
}

static bool have_input(const char *name)
{
	for (int i = 0; i < 64; i++) {
		char path[96], buf[128] = "";
		snprintf(path, sizeof(path), "/sys/class/input/input%d/name", i);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
		if (strcmp(buf, name) == 0)
			return true;
	}
	return false;
}

static bool can_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(void)
{
	printf("device map:\n");
	print_map();

	char path[64];
	int gpu = zc_open_driver("virtio_gpu", false, path, sizeof(path));
	if (zc_check(gpu >= 0, "virtio_gpu card node (%s)", gpu >= 0 ? path : "none")) {
		zc_check(drmSetClientCap(gpu, DRM_CLIENT_CAP_ATOMIC, 1) == 0, "virtio_gpu: atomic");
		struct conn_count cc = count_connectors(gpu, "virtio_gpu");
		zc_check(cc.virtual_connected >= 1, "virtio_gpu: a connected Virtual connector");
		/* virtio-gpu is a "virtualized" driver (DRIVER_CURSOR_HOTSPOT): since 6.8 its
		 * cursor plane is hidden from atomic clients that do not set
		 * DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT (and then set HOTSPOT_X/Y). */
		struct plane_count pc = count_planes(gpu);
		printf("  virtio_gpu planes (atomic): %d primary, %d overlay, %d cursor\n",
		       pc.primary, pc.overlay, pc.cursor);
		zc_check(pc.primary >= 1 && pc.cursor == 0,
			 "virtio_gpu: atomic clients without the hotspot cap see no cursor plane");
		zc_check(drmSetClientCap(gpu, DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT, 1) == 0,
			 "virtio_gpu: DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT");
		pc = count_planes(gpu);
		printf("  virtio_gpu planes (hotspot cap): %d primary, %d overlay, %d cursor\n",
		       pc.primary, pc.overlay, pc.cursor);
		/* One primary and one cursor plane per head (max_outputs in vm.sh). */
		zc_check(pc.primary >= 1 && pc.cursor == pc.primary,
			 "virtio_gpu: a cursor plane per primary plane with the hotspot cap");
		close(gpu);
	}
	int fd = zc_open_driver("virtio_gpu", true, path, sizeof(path));
	zc_check(fd >= 0, "virtio_gpu render node (%s)", fd >= 0 ? path : "none");
	if (fd >= 0)
		close(fd);

	fd = zc_open_driver("vgem", false, path, sizeof(path));
	zc_check(fd >= 0, "vgem card node (%s)", fd >= 0 ? path : "none");
	if (fd >= 0)
		close(fd);
	fd = zc_open_driver("vgem", true, path, sizeof(path));
	zc_check(fd >= 0, "vgem render node (%s)", fd >= 0 ? path : "none");
	if (fd >= 0)
		close(fd);

	int vkms = zc_open_driver("vkms", false, path, sizeof(path));
	if (zc_check(vkms >= 0, "vkms card node (%s)", vkms >= 0 ? path : "none")) {
		zc_check(drmSetClientCap(vkms, DRM_CLIENT_CAP_ATOMIC, 1) == 0, "vkms: atomic");
		zc_check(drmSetClientCap(vkms, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) == 0,
			 "vkms: writeback connectors cap");
		struct conn_count cc = count_connectors(vkms, "vkms");
		zc_check(cc.virtual_connected >= 1, "vkms: a connected Virtual connector");
		zc_check(cc.writeback == 1, "vkms: a Writeback connector");
		struct plane_count pc = count_planes(vkms);
		printf("  vkms planes: %d primary, %d overlay, %d cursor\n", pc.primary, pc.overlay,
		       pc.cursor);
		zc_check(pc.primary >= 1 && pc.overlay >= 1 && pc.cursor >= 1,
			 "vkms: primary, overlay and cursor planes (module parameters took effect)");
		close(vkms);
	}

	zc_check(can_open("/dev/udmabuf"), "/dev/udmabuf");
	zc_check(can_open("/dev/dma_heap/system"), "/dev/dma_heap/system");
	zc_check(can_open("/dev/uinput"), "/dev/uinput");
	zc_check(have_input("QEMU Virtio Keyboard"), "input device QEMU Virtio Keyboard");
	zc_check(have_input("QEMU Virtio Mouse"), "input device QEMU Virtio Mouse");

	printf("%d failure(s)\n", zc_failures);
	return zc_failures ? 1 : 0;
}
