// Times media uploads in the core (no HTTP): type sniffing, the header
// probe, the libvips thumbnail, two durable puts and the commit, per file.
//
//   taskcore_bench_media --dir /tmp/media-bench [--files 50] [--threads 1]
//                        [--width 1600 --height 1200]
//
// Writes one noisy JPEG (about 1 MiB at the default size), uploads it
// --files times from --threads threads, and prints uploads per second and
// p50 / p99 per upload, then the time of the thumbnail alone. The database and media are left in --dir for a
// serving run (bench/media.sh).

#include <CLI/CLI.hpp>
#include <vips/vips.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

using namespace taskcore;
using Steady = std::chrono::steady_clock;

namespace {

void write_noise_jpeg(const std::string& path, int width, int height) {
  VipsImage *noise = nullptr, *shifted = nullptr, *rgb = nullptr;
  if (vips_gaussnoise(&noise, width, height, "sigma", 60.0, "mean", 128.0, nullptr) ||
      vips_cast_uchar(noise, &shifted, nullptr)) {
    std::fprintf(stderr, "libvips: %s\n", vips_error_buffer());
    std::exit(1);
  }
  VipsImage* bands[] = {shifted, shifted, shifted};
  if (vips_bandjoin(bands, &rgb, 3, nullptr) ||
      vips_jpegsave(rgb, path.c_str(), "Q", 90, nullptr)) {
    std::fprintf(stderr, "libvips: %s\n", vips_error_buffer());
    std::exit(1);
  }
  g_object_unref(rgb);
  g_object_unref(shifted);
  g_object_unref(noise);
}

double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Time media uploads in the core"};
  std::string dir = "/tmp/taskcore-media-bench";
  int files = 50;
  int threads = 1;
  int width = 1600;
  int height = 1200;
  app.add_option("--dir", dir, "Work directory (database, media)");
  app.add_option("--files", files, "Uploads")->check(CLI::Range(1, 100000));
  app.add_option("--threads", threads, "Uploading threads")->check(CLI::Range(1, 64));
  app.add_option("--width", width, "JPEG width");
  app.add_option("--height", height, "JPEG height");
  CLI11_PARSE(app, argc, argv);
  if (VIPS_INIT(argv[0]) != 0) return 1;

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string source = dir + "/source.jpg";
  write_noise_jpeg(source, width, height);

  Options options;
  options.store = open_sqlite_store({.path = dir + "/bench.db"});
  options.media.storage = open_local_media_storage(dir + "/media");
  options.media.scratch_directory = dir;
  options.password_cost = PasswordCost::fast();
  Core core(std::move(options));
  const User user = core.users().create_user(
      {"bench", "bench@example.com", "bench-password", Role::kAdmin});
  const Principal actor{user.id, user.role, ""};

  std::vector<double> times;
  std::mutex times_mutex;
  std::atomic<int> next{0};
  const auto started = Steady::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      while (next.fetch_add(1) < files) {
        const auto begin = Steady::now();
        core.media().upload(actor, {{source, "photo.jpg"}});
        const double took = ms(Steady::now() - begin);
        std::lock_guard lock(times_mutex);
        times.push_back(took);
      }
    });
  for (auto& t : pool) t.join();
  const double total = ms(Steady::now() - started);
  std::sort(times.begin(), times.end());
  std::printf("jpeg %dx%d %.2f MiB, %d uploads, %d threads: %.1f uploads/s, "
              "p50 %.1f ms, p99 %.1f ms\n",
              width, height,
              static_cast<double>(std::filesystem::file_size(source)) / (1 << 20), files,
              threads, files * 1000.0 / total, times[times.size() / 2],
              times[std::min(times.size() - 1, times.size() * 99 / 100)]);

  // The thumbnail alone, as the core makes it (shrink-on-load, 320x320).
  std::vector<double> thumbs;
  vips_cache_set_max(0);  // every run decodes again
  for (int i = 0; i < 20; ++i) {
    const auto begin = Steady::now();
    VipsImage* thumb = nullptr;
    if (vips_thumbnail(source.c_str(), &thumb, 320, "height", 320, "size", VIPS_SIZE_DOWN,
                       nullptr) ||
        vips_jpegsave(thumb, (dir + "/thumb.jpg").c_str(), "strip", TRUE, "Q", 82, nullptr))
      return 1;
    g_object_unref(thumb);
    thumbs.push_back(ms(Steady::now() - begin));
  }
  std::sort(thumbs.begin(), thumbs.end());
  std::printf("thumbnail of that jpeg: p50 %.1f ms, max %.1f ms\n", thumbs[thumbs.size() / 2],
              thumbs.back());
  return 0;
}
