package io.connectionmanager.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
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

	/** Attempts per bucket for one storm, as bars starting at each bucket's start. */
	String stormHistogram(String name, StormScenario.Storm storm, double xMax, double yMax) throws IOException {
		XYSeries series = new XYSeries("connect attempts per " + StormScenario.BUCKET_MS + " ms");
		for (int i = 0; i < storm.counts().length; i++) {
			series.add(storm.bucketStartMs()[i], storm.counts()[i]);
		}
		XYSeriesCollection dataset = new XYSeriesCollection(series);
		dataset.setIntervalWidth(StormScenario.BUCKET_MS);
		dataset.setIntervalPositionFactor(0.0);
		JFreeChart chart = ChartFactory.createXYBarChart(
				"Reconnect storm, " + name
						+ String.format(java.util.Locale.ROOT,
								" (1,000 connections; peak/mean %.2f, all back %.0f ms after restart)",
								storm.peakToMean(), storm.allBackMs()),
				"ms since the server listened again (killed at about -" + StormScenario.DOWN_MS + ")", false,
				"connect attempts per " + StormScenario.BUCKET_MS + " ms", dataset, PlotOrientation.VERTICAL, false,
				false, false);
		XYPlot plot = style(chart.getXYPlot());
		XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
		renderer.setBarPainter(new StandardXYBarPainter());
		renderer.setShadowVisible(false);
		renderer.setSeriesPaint(0, COLORS[0]);
		plot.getDomainAxis().setRange(-StormScenario.DOWN_MS, xMax);
		plot.getRangeAxis().setRange(0, yMax);
		return save(chart, "storm-" + name + ".png");
	}

	/** All storms on one chart, as step lines. */
	String stormCombined(Map<String, StormScenario.Storm> storms, double xMax) throws IOException {
		XYSeriesCollection dataset = new XYSeriesCollection();
		for (Map.Entry<String, StormScenario.Storm> entry : storms.entrySet()) {
			XYSeries series = new XYSeries(entry.getKey());
			StormScenario.Storm storm = entry.getValue();
			for (int i = 0; i < storm.counts().length; i++) {
				series.add(storm.bucketStartMs()[i], storm.counts()[i]);
			}
			series.add(storm.bucketStartMs()[storm.counts().length - 1] + StormScenario.BUCKET_MS, 0);
			dataset.addSeries(series);
		}
		JFreeChart chart = ChartFactory.createXYLineChart(
				"Reconnect storm: connect attempts per " + StormScenario.BUCKET_MS
						+ " ms, 1,000 connections, server down " + StormScenario.DOWN_MS + " ms",
				"ms since the server listened again", "attempts per " + StormScenario.BUCKET_MS + " ms", dataset,
				PlotOrientation.VERTICAL, true, false, false);
		XYPlot plot = style(chart.getXYPlot());
		XYStepRenderer renderer = new XYStepRenderer();
		for (int i = 0; i < dataset.getSeriesCount(); i++) {
			renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
			renderer.setSeriesStroke(i, new BasicStroke(2f));
		}
		plot.setRenderer(renderer);
		plot.getDomainAxis().setRange(-StormScenario.DOWN_MS, xMax);
		return save(chart, "storm.png");
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
