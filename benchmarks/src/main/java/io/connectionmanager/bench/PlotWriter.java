package io.connectionmanager.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts with JFreeChart, rendered headless (java.awt.headless=true). */
final class PlotWriter {

	private static final int WIDTH = 900;

	private static final int HEIGHT = 450;

	private static final Paint[] COLORS = { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
			new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b) };

	private final Path directory;

	PlotWriter(Path directory) {
		this.directory = directory;
	}

	/**
	 * Every storm as its own panel, one above the other on a shared time axis, so that
	 * the modes compare side by side: attempts per bucket from the kill to the last
	 * reconnect.
	 */
	String stormPanels(Map<String, StormScenario.Storm> storms) throws IOException {
		NumberAxis time = new NumberAxis("ms since the server listened again (killed at -" + StormScenario.DOWN_MS
				+ "); 1,000 connections, " + StormScenario.BUCKET_MS + " ms buckets");
		CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
		combined.setGap(6);
		double xMax = StormScenario.BUCKET_MS;
		double yMax = 1;
		for (StormScenario.Storm storm : storms.values()) {
			xMax = Math.max(xMax, storm.bucketStartMs()[storm.counts().length - 1] + StormScenario.BUCKET_MS);
			for (int b = (int) (StormScenario.DOWN_MS / StormScenario.BUCKET_MS); b < storm.counts().length; b++) {
				yMax = Math.max(yMax, storm.counts()[b]);
			}
		}
		int i = 0;
		for (Map.Entry<String, StormScenario.Storm> entry : storms.entrySet()) {
			StormScenario.Storm storm = entry.getValue();
			XYSeries series = new XYSeries(entry.getKey());
			for (int b = 0; b < storm.counts().length; b++) {
				series.add(storm.bucketStartMs()[b], storm.counts()[b]);
			}
			XYSeriesCollection dataset = new XYSeriesCollection(series);
			dataset.setIntervalWidth(StormScenario.BUCKET_MS);
			dataset.setIntervalPositionFactor(0.0);
			XYBarRenderer renderer = new XYBarRenderer(0.05);
			renderer.setBarPainter(new StandardXYBarPainter());
			renderer.setShadowVisible(false);
			renderer.setSeriesPaint(0, COLORS[i++ % COLORS.length]);
			NumberAxis attempts = new NumberAxis(entry.getKey());
			attempts.setLabelFont(attempts.getLabelFont().deriveFont(10f));
			// Peaks before the restart (a synchronized crowd refused while down) are cut
			// at the largest peak after it, so that every panel shares one readable
			// scale.
			attempts.setRange(0, yMax * 1.15);
			XYPlot plot = style(new XYPlot(dataset, null, attempts, renderer));
			plot.addDomainMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
			XYTextAnnotation label = new XYTextAnnotation(
					String.format(java.util.Locale.ROOT, "%s: peak-to-ideal %.2f, all back %.0f ms after the restart",
							entry.getKey(), storm.peakToIdeal(), storm.allBackMs()),
					xMax, yMax * 1.1);
			label.setTextAnchor(TextAnchor.TOP_RIGHT);
			label.setFont(label.getFont().deriveFont(11f));
			plot.addAnnotation(label);
			combined.add(plot, 1);
		}
		time.setRange(-StormScenario.DOWN_MS, xMax);
		JFreeChart chart = new JFreeChart("Reconnect storms: connect attempts per " + StormScenario.BUCKET_MS + " ms",
				JFreeChart.DEFAULT_TITLE_FONT, combined, false);
		chart.setBackgroundPaint(Color.WHITE);
		ChartUtils.saveChartAsPNG(this.directory.resolve("storm.png").toFile(), chart, WIDTH,
				120 + 110 * storms.size());
		return "storm.png";
	}

	/**
	 * Echo round-trip percentiles of each client, pooled over all rounds, on log-log axes
	 * (x: 1 / (1 - percentile), labelled as the percentile).
	 */
	String latencyDistribution(String file, Map<String, Histogram> latencies) throws IOException {
		XYSeriesCollection dataset = new XYSeriesCollection();
		for (Map.Entry<String, Histogram> entry : latencies.entrySet()) {
			XYSeries series = new XYSeries(entry.getKey());
			for (HistogramIterationValue value : entry.getValue().percentiles(5)) {
				double percentile = value.getPercentileLevelIteratedTo();
				if (percentile < 100) {
					series.addOrUpdate(1 / (1 - percentile / 100), value.getValueIteratedTo() / 1e3);
				}
			}
			dataset.addSeries(series);
		}
		JFreeChart chart = ChartFactory.createXYLineChart(
				"Echo round trip over loopback by percentile (one in flight, all rounds)", "percentile", "microseconds",
				dataset, PlotOrientation.VERTICAL, true, false, false);
		XYPlot plot = style(chart.getXYPlot());
		LogAxis percentiles = new LogAxis("percentile");
		percentiles.setBase(10);
		percentiles.setTickUnit(new NumberTickUnit(1));
		percentiles.setNumberFormatOverride(new PercentileFormat());
		percentiles.setSmallestValue(1);
		plot.setDomainAxis(percentiles);
		LogAxis micros = new LogAxis("microseconds");
		micros.setBase(10);
		micros.setTickUnit(new NumberTickUnit(1));
		micros.setNumberFormatOverride(new DecimalFormat("#,##0"));
		micros.setSmallestValue(1);
		plot.setRangeAxis(micros);
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
		for (int i = 0; i < dataset.getSeriesCount(); i++) {
			renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
			renderer.setSeriesStroke(i, new BasicStroke(2f));
		}
		plot.setRenderer(renderer);
		return save(chart, file);
	}

	/** Labels a value {@code 1 / (1 - p)} of a log axis as the percentile {@code p}. */
	private static final class PercentileFormat extends NumberFormat {

		private final DecimalFormat digits = new DecimalFormat("0.###");

		@Override
		public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
			return toAppendTo.append(this.digits.format(100 * (1 - 1 / number))).append('%');
		}

		@Override
		public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
			return format((double) number, toAppendTo, pos);
		}

		@Override
		public Number parse(String source, ParsePosition parsePosition) {
			return null;
		}

	}

	/** Overlaid histograms of samples in ms. */
	String histogram(String file, String title, String xLabel, Map<String, List<Double>> samples, double binMs)
			throws IOException {
		double max = samples.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
		double min = Math.min(0,
				samples.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(0));
		double upper = Math.ceil((max + binMs) / binMs) * binMs;
		double lower = Math.floor(min / binMs) * binMs;
		int bins = Math.max(1, (int) Math.round((upper - lower) / binMs));
		HistogramDataset dataset = new HistogramDataset();
		samples.forEach((name, values) -> {
			if (!values.isEmpty()) {
				dataset.addSeries(name, Stats.toArray(values), bins, lower, upper);
			}
		});
		JFreeChart chart = ChartFactory.createHistogram(title, xLabel, "samples", dataset, PlotOrientation.VERTICAL,
				true, false, false);
		XYPlot plot = style(chart.getXYPlot());
		plot.setForegroundAlpha(0.6f);
		XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
		renderer.setBarPainter(new StandardXYBarPainter());
		renderer.setShadowVisible(false);
		for (int i = 0; i < dataset.getSeriesCount(); i++) {
			renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
		}
		return save(chart, file);
	}

	/** Grouped bars: one group per category, one bar per series. */
	String bars(String file, String title, String valueLabel, Map<String, Map<String, Double>> seriesByCategory,
			boolean logScale) throws IOException {
		DefaultCategoryDataset dataset = new DefaultCategoryDataset();
		seriesByCategory.forEach(
				(category, values) -> values.forEach((series, value) -> dataset.addValue(value, series, category)));
		JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, dataset);
		CategoryPlot plot = chart.getCategoryPlot();
		plot.setBackgroundPaint(Color.WHITE);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		if (logScale) {
			LogAxis axis = new LogAxis(valueLabel);
			axis.setBase(10);
			axis.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
			axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
			axis.setSmallestValue(1);
			plot.setRangeAxis(axis);
			((BarRenderer) plot.getRenderer()).setBase(1);
		}
		BarRenderer renderer = (BarRenderer) plot.getRenderer();
		renderer.setBarPainter(new StandardBarPainter());
		renderer.setShadowVisible(false);
		for (int i = 0; i < dataset.getRowCount(); i++) {
			renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
		}
		return save(chart, file);
	}

	private static XYPlot style(XYPlot plot) {
		plot.setBackgroundPaint(Color.WHITE);
		plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		return plot;
	}

	private String save(JFreeChart chart, String file) throws IOException {
		chart.setBackgroundPaint(Color.WHITE);
		ChartUtils.saveChartAsPNG(this.directory.resolve(file).toFile(), chart, WIDTH, HEIGHT);
		return file;
	}

}
