//! Charts drawn on the server as SVG with plotters, so they show without JavaScript and
//! cost the browser bundle nothing. They hold numbers and dates only: titles, legends and
//! the table alternative are HTML around them, in the reader's language.

use crate::model::dashboard::{TrendChart, TrendWeek};
use crate::model::indicator::Plan;
use crate::model::time::Day;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 220;
/// The brand red and the link blue of the design system: both AA on white.
const COMPLETED: RGBColor = RGBColor(0x0b, 0x4f, 0x9c);
const OVERDUE: RGBColor = RGBColor(0xa4, 0x16, 0x1a);
const GRID: RGBColor = RGBColor(0xc9, 0xd1, 0xda);
const TEXT: RGBColor = RGBColor(0x1b, 0x1f, 0x24);
/// The planned path: a dark grey, dashed, AA on white.
const PLANNED: RGBColor = RGBColor(0x4a, 0x53, 0x5e);

/// Both charts of the trend: completed tasks per week (bars) and overdue tasks at the
/// end of each week (a line). Empty strings when there is nothing to draw.
pub fn trend_svg(weeks: &[TrendWeek]) -> TrendChart {
    TrendChart {
        completed: draw(weeks, Series::Completed).unwrap_or_else(failed),
        overdue: draw(weeks, Series::Overdue).unwrap_or_else(failed),
    }
}

fn failed(error: String) -> String {
    tracing::warn!(%error, "cannot draw a chart");
    String::new()
}

#[derive(Clone, Copy)]
enum Series {
    Completed,
    Overdue,
}

impl Series {
    fn value(self, week: &TrendWeek) -> u64 {
        match self {
            Series::Completed => week.completed,
            Series::Overdue => week.overdue,
        }
    }
}

/// `1 234 567`: grouped by thin spaces, readable in Vietnamese and English alike.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

fn draw(weeks: &[TrendWeek], series: Series) -> Result<String, String> {
    if weeks.is_empty() {
        return Ok(String::new());
    }
    let n = i32::try_from(weeks.len()).map_err(|e| e.to_string())?;
    let top = weeks.iter().map(|w| series.value(w)).max().unwrap_or(0);
    // Headroom above the highest value, and an axis even when every value is zero.
    let top = (top + top / 10).max(4);
    let label = |i: i32| {
        usize::try_from(i)
            .ok()
            .and_then(|i| weeks.get(i))
            .map(|w| {
                let (_, m, d) = w.week_start.ymd();
                format!("{d:02}/{m:02}")
            })
            .unwrap_or_default()
    };
    let text = ("sans-serif", 13).into_font().color(&TEXT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut builder = ChartBuilder::on(&root);
        builder
            .margin(8)
            .x_label_area_size(26)
            .y_label_area_size(56);
        let mesh_labels = (n / 4).clamp(1, 8) as usize;
        match series {
            Series::Completed => {
                let mut chart = builder
                    .build_cartesian_2d((0..n).into_segmented(), 0..top)
                    .map_err(|e| e.to_string())?;
                chart
                    .configure_mesh()
                    .disable_x_mesh()
                    .light_line_style(GRID.mix(0.4))
                    .bold_line_style(GRID)
                    .axis_style(TEXT)
                    .label_style(text.clone())
                    .x_labels(mesh_labels)
                    .y_labels(5)
                    .x_label_formatter(&|x| match x {
                        SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => label(*i),
                        SegmentValue::Last => String::new(),
                    })
                    .y_label_formatter(&|y| grouped(*y))
                    .draw()
                    .map_err(|e| e.to_string())?;
                chart
                    .draw_series(
                        Histogram::vertical(&chart)
                            .style(COMPLETED.filled())
                            .margin(2)
                            .data(weeks.iter().zip(0..).map(|(w, i)| (i, w.completed))),
                    )
                    .map_err(|e| e.to_string())?;
            }
            Series::Overdue => {
                let mut chart = builder
                    .build_cartesian_2d(0..(n - 1).max(1), 0..top)
                    .map_err(|e| e.to_string())?;
                chart
                    .configure_mesh()
                    .disable_x_mesh()
                    .light_line_style(GRID.mix(0.4))
                    .bold_line_style(GRID)
                    .axis_style(TEXT)
                    .label_style(text)
                    .x_labels(mesh_labels)
                    .y_labels(5)
                    .x_label_formatter(&|i| label(*i))
                    .y_label_formatter(&|y| grouped(*y))
                    .draw()
                    .map_err(|e| e.to_string())?;
                let points = weeks.iter().zip(0..).map(|(w, i)| (i, w.overdue));
                chart
                    .draw_series(LineSeries::new(points.clone(), OVERDUE.stroke_width(2)))
                    .map_err(|e| e.to_string())?;
                chart
                    .draw_series(points.map(|p| Circle::new(p, 3, OVERDUE.filled())))
                    .map_err(|e| e.to_string())?;
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    // Scale with the page: keep the viewBox, drop the fixed size.
    Ok(svg.replacen(
        &format!("width=\"{WIDTH}\" height=\"{HEIGHT}\" "),
        "preserveAspectRatio=\"xMidYMid meet\" ",
        1,
    ))
}

/// An indicator's planned path (baseline, milestones, final target: dashed) against the
/// values reported at the end of each period (a solid line with points). Empty when it
/// cannot be drawn.
pub fn indicator_svg(plan: &Plan, actual: &[(Day, f64)]) -> String {
    draw_indicator(plan, actual).unwrap_or_else(failed)
}

fn draw_indicator(plan: &Plan, actual: &[(Day, f64)]) -> Result<String, String> {
    let planned: Vec<(i32, f64)> = std::iter::once(plan.baseline)
        .chain(plan.milestones.iter().copied())
        .map(|p| (p.on.0, p.value))
        .collect();
    let reported: Vec<(i32, f64)> = actual.iter().map(|(day, v)| (day.0, *v)).collect();
    let all = || planned.iter().chain(reported.iter());
    let (Some(first), Some(last)) = (all().map(|p| p.0).min(), all().map(|p| p.0).max()) else {
        return Ok(String::new());
    };
    let low = all().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let high = all().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    // Room above and below, and a span even when every value is the same.
    let pad = ((high - low) / 10.0).max(high.abs() / 100.0).max(0.5);
    let (low, high) = (low - pad, high + pad);
    let last = last.max(first + 1);
    let year = |x: &i32| Day(*x).ymd().0.to_string();
    let number = |y: &f64| {
        if (high - low) >= 10.0 {
            format!("{y:.0}")
        } else {
            format!("{y:.1}")
        }
    };
    let text = ("sans-serif", 13).into_font().color(&TEXT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(26)
            .y_label_area_size(56)
            .build_cartesian_2d(first..last, low..high)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID.mix(0.4))
            .bold_line_style(GRID)
            .axis_style(TEXT)
            .label_style(text)
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter(&year)
            .y_label_formatter(&number)
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(DashedLineSeries::new(
                planned.iter().copied(),
                6,
                4,
                PLANNED.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                planned
                    .iter()
                    .map(|&p| Rectangle::new([p, p], PLANNED.stroke_width(6))),
            )
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                reported.iter().copied(),
                COMPLETED.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                reported
                    .iter()
                    .map(|&p| Circle::new(p, 4, COMPLETED.filled())),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg.replacen(
        &format!("width=\"{WIDTH}\" height=\"{HEIGHT}\" "),
        "preserveAspectRatio=\"xMidYMid meet\" ",
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::Day;

    fn weeks() -> Vec<TrendWeek> {
        (0..26)
            .map(|i| TrendWeek {
                week_start: Day::from_ymd(2026, 6, 1).plus_days(7 * i),
                completed: u64::try_from(i).unwrap_or(0) * 3,
                overdue: 1000 + u64::try_from(i).unwrap_or(0),
            })
            .collect()
    }

    #[test]
    fn draws_both_series_as_scalable_svg() {
        let chart = trend_svg(&weeks());
        for svg in [&chart.completed, &chart.overdue] {
            assert!(svg.starts_with("<svg"), "{svg}");
            let opening = svg.lines().next().unwrap_or_default();
            assert!(opening.contains("viewBox=\"0 0 640 220\""), "{opening}");
            assert!(!opening.contains("width="), "{opening}");
            assert!(svg.contains("01/06"), "the first week is labelled");
        }
        assert!(
            chart.completed.matches("<rect").count() >= 25,
            "one bar a week"
        );
        assert!(chart.overdue.contains("<polyline"), "a line");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1234567), "1\u{2009}234\u{2009}567");
    }

    #[test]
    fn an_indicator_draws_its_plan_against_its_values() {
        use crate::model::indicator::{Direction, PlanPoint};
        let plan = Plan {
            direction: Direction::Higher,
            baseline: PlanPoint {
                on: Day::from_ymd(2024, 12, 31),
                value: 18.3,
            },
            milestones: vec![PlanPoint {
                on: Day::from_ymd(2030, 12, 31),
                value: 30.0,
            }],
        };
        let svg = indicator_svg(
            &plan,
            &[
                (Day::from_ymd(2025, 6, 30), 19.0),
                (Day::from_ymd(2025, 12, 31), 20.1),
            ],
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("2027"), "years on the axis");
        assert_eq!(svg.matches("<circle").count(), 2, "one point a value");
    }

    #[test]
    fn nothing_to_draw_is_empty() {
        assert!(trend_svg(&[]).completed.is_empty());
    }
}
