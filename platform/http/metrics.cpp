#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <mutex>

#include "platform/http/middleware.h"

namespace xf::http {

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("xf_http_requests_total")
          .Help("HTTP requests by route pattern, method and status")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("xf_http_request_duration_seconds")
          .Help("Time from a parsed request to its response, by route pattern and method")
          .Register(*registry);
  std::mutex scrape_mutex;
  std::vector<std::function<void(prometheus::Registry&)>> scrape_updates;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

prometheus::Registry& Metrics::registry() {
  return *impl_->registry;
}

Middleware Metrics::middleware() {
  return [impl = impl_.get()](Request& request, const Next& next) {
    auto started = std::chrono::steady_clock::now();
    Response response = next(request);
    // Labels are route patterns, never raw paths, so the series stay few.
    std::string route = request.route.empty() ? "unmatched" : request.route;
    std::string method(method_name(request.method));
    when_answered(response, [impl, route, method, started](const Response& answer) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      impl->requests
          .Add({{"route", route}, {"method", method}, {"status", std::to_string(answer.status)}})
          .Increment();
      static const prometheus::Histogram::BucketBoundaries buckets{
          0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
      impl->durations.Add({{"route", route}, {"method", method}}, buckets).Observe(took.count());
    });
    return response;
  };
}

void Metrics::on_scrape(std::function<void(prometheus::Registry&)> update) {
  std::lock_guard lock(impl_->scrape_mutex);
  impl_->scrape_updates.push_back(std::move(update));
}

Handler Metrics::handler() {
  return [impl = impl_.get()](Request&) {
    {
      std::lock_guard lock(impl->scrape_mutex);
      for (const auto& update : impl->scrape_updates) update(*impl->registry);
    }
    Response response;
    response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.body = prometheus::TextSerializer().Serialize(impl->registry->Collect());
    return response;
  };
}

}  // namespace xf::http
