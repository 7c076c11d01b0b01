package handlers

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"nhs-digital-maturity/models"
)

// metrics are the service's Prometheus figures, on a registry of the
// server's own (never the library's global one). They count requests,
// sign-ins, the database pool and the email queue; never anything about
// the skills self-assessment, so nothing tells who took part or when.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	signIns  *prometheus.CounterVec
}

// Sign-in methods and results, the labels of sign_ins_total.
const (
	signInPassword = "password"
	signInSSO      = "sso"
	signInSuccess  = "success"
	signInFailure  = "failure"
)

func newMetrics(store *models.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		// The route is Echo's pattern (/accounts/:id), so the number of
		// series stays bounded whatever paths clients ask for.
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sign_ins_total", Help: "Sign-in attempts, by method (password, sso) and result (success, failure).",
		}, []string{"method", "result"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.signIns,
		poolCollector{store: store}, emailQueueCollector{store: store},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Both results of both methods show from the start, at zero.
	for _, method := range []string{signInPassword, signInSSO} {
		for _, result := range []string{signInSuccess, signInFailure} {
			m.signIns.WithLabelValues(method, result)
		}
	}
	return m
}

// MetricsHandler serves /metrics in Prometheus format, for a listener of
// its own (METRICS_ADDR); nil when metrics are off. The main router never
// serves it.
func (s *Server) MetricsHandler() http.Handler {
	if s.metrics == nil {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	return mux
}

// countRequests records each request's route, status and time. It runs
// outside logRequests, which has already rendered any error, so the
// status is the one sent.
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route, method := c.Path(), requestMethod(c.Request())
		s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		s.metrics.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return err
	}
}

// countSignIn counts one sign-in attempt; nothing when metrics are off.
func (s *Server) countSignIn(method, result string) {
	if s.metrics != nil {
		s.metrics.signIns.WithLabelValues(method, result).Inc()
	}
}

// poolCollector reports the database connection pool at each scrape.
type poolCollector struct{ store *models.Store }

var (
	poolOpenDesc  = prometheus.NewDesc("db_pool_open_connections", "Open database connections, in use and idle.", nil, nil)
	poolInUseDesc = prometheus.NewDesc("db_pool_in_use_connections", "Database connections in use.", nil, nil)
	poolIdleDesc  = prometheus.NewDesc("db_pool_idle_connections", "Idle database connections.", nil, nil)
	poolMaxDesc   = prometheus.NewDesc("db_pool_max_open_connections", "Most database connections the pool opens.", nil, nil)
	poolWaitDesc  = prometheus.NewDesc("db_pool_wait_count_total", "Times a request waited for a free database connection.", nil, nil)
	poolWaitSecs  = prometheus.NewDesc("db_pool_wait_seconds_total", "Time spent waiting for a free database connection.", nil, nil)
)

func (p poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpenDesc, poolInUseDesc, poolIdleDesc, poolMaxDesc, poolWaitDesc, poolWaitSecs} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	st, err := p.store.PoolStats()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(poolOpenDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(poolOpenDesc, prometheus.GaugeValue, float64(st.OpenConnections))
	ch <- prometheus.MustNewConstMetric(poolInUseDesc, prometheus.GaugeValue, float64(st.InUse))
	ch <- prometheus.MustNewConstMetric(poolIdleDesc, prometheus.GaugeValue, float64(st.Idle))
	ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(st.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, float64(st.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWaitSecs, prometheus.CounterValue, st.WaitDuration.Seconds())
}

// emailQueueCollector counts the email queue's messages by status at each
// scrape (the figures the admin email page shows; never a recipient).
type emailQueueCollector struct{ store *models.Store }

var emailQueueDesc = prometheus.NewDesc("email_queue_messages",
	"Messages in the email queue, by status (queued, sending, sent, failed).", []string{"status"}, nil)

// emailQueueTimeout bounds the scrape's query, so a hung database cannot
// hold the scraper.
const emailQueueTimeout = 2 * time.Second

func (e emailQueueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- emailQueueDesc }

func (e emailQueueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), emailQueueTimeout)
	defer cancel()
	sum, err := e.store.EmailQueueSummary(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(emailQueueDesc, err)
		return
	}
	for status, n := range map[string]int64{
		models.EmailQueued: sum.Queued, models.EmailSending: sum.Sending,
		models.EmailSent: sum.Sent, models.EmailFailed: sum.Failed,
	} {
		ch <- prometheus.MustNewConstMetric(emailQueueDesc, prometheus.GaugeValue, float64(n), status)
	}
}
