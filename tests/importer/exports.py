"""Hand-made exports for the importer tests: order lines as Python values, written as an
international CSV, a Dutch Excel CSV or an .xlsx; and the figures worked out from the lines,
independently of kamkit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl


@dataclass(frozen=True)
class Line:
    date: dt.date
    customer_id: str
    customer: str
    country: str  # as the export writes it: a name, a code or (wrongly) a postal code
    city: str
    group: str
    rep: str
    quantity: int
    revenue: Decimal
    cost: Decimal


def line(date: str, customer_id: str, customer: str, country: str, city: str, group: str,
         rep: str, quantity: int, revenue: str, cost: str) -> Line:
    return Line(dt.date.fromisoformat(date), customer_id, customer, country, city, group, rep,
                quantity, Decimal(revenue), Decimal(cost))


# Three customers over two years (2024: half a year), credit notes included: C02's credit
# in 2024-03 exceeds its sales that month.
INTERNATIONAL = [
    line("2024-07-03", "C01", "Acme Trading Ltd", "United Kingdom", "London", "Bikes",
         "Jane Smith", 3, "1500.00", "1050.00"),
    line("2024-07-19", "C01", "Acme Trading Ltd", "United Kingdom", "London", "Bikes",
         "Jane Smith", 1, "499.99", "350.10"),
    line("2024-07-22", "C01", "Acme Trading Ltd", "United Kingdom", "London", "Parts",
         "Jane Smith", 20, "240.40", "120.00"),
    line("2024-08-05", "C02", "Société Générale de Vélo", "France", "Lyon", "Bikes",
         "Tom Lee", 2, "1999.98", "1400.00"),
    line("2024-08-30", "C02", "Société Générale de Vélo", "France", "Lyon", "Bikes",
         "Tom Lee", -1, "-999.99", "-700.00"),
    line("2024-09-10", "C03", "Berliner Rad GmbH", "Germany", "Berlin", "Parts", "Tom Lee",
         50, "612.35", "300.00"),
    line("2024-09-11", "C03", "Berliner Rad GmbH", "Germany", "Munich", "Parts", "Tom Lee",
         10, "122.47", "60.00"),
    line("2024-12-20", "C02", "Société Générale de Vélo", "France", "Lyon", "Parts",
         "Tom Lee", 5, "75.05", "30.00"),
    line("2024-12-23", "C02", "Société Générale de Vélo", "France", "Lyon", "Parts",
         "Tom Lee", -8, "-120.08", "-48.00"),
    line("2025-01-14", "C01", "Acme Trading Ltd", "United Kingdom", "London", "Bikes",
         "Jane Smith", 4, "2000.00", "1400.00"),
    line("2025-01-15", "C03", "Berliner Rad GmbH", "Germany", "Berlin", "Bikes", "Tom Lee",
         1, "650.00", "455.00"),
    line("2025-02-02", "C03", "Berliner Rad GmbH", "DE", "Berlin", "Parts", "Tom Lee", 7,
         "85.73", "42.00"),
]


def write_international(path: Path, lines: list[Line]) -> Path:
    """Comma separated, decimal point, ISO dates, UTF-8, an order number column."""
    rows = ["Invoice Date,Order No,Customer ID,Customer Name,Country,City,Product Group,"
            "Sales Rep,Quantity,Net Revenue,Cost"]
    for i, x in enumerate(lines, start=1001):
        name = f'"{x.customer}"' if "," in x.customer else x.customer
        rows.append(f"{x.date.isoformat()},{i},{x.customer_id},{name},{x.country},{x.city},"
                    f"{x.group},{x.rep},{x.quantity},{x.revenue},{x.cost}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def dutch_amount(value: Decimal) -> str:
    """1234.5 as Dutch Excel writes it: 1.234,50."""
    text = f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def write_dutch(path: Path, lines: list[Line]) -> Path:
    """Dutch Excel 'CSV (semicolon delimited)': semicolons, decimal comma with a thousands
    point, DD-MM-YYYY dates, Windows-1252, CRLF; margin as a percentage of revenue."""
    rows = ["Factuurdatum;Klantnummer;Klant;Land;Plaats;Productgroep;Verkoper;Aantal;Omzet;"
            "Marge %"]
    for x in lines:
        percent = (x.revenue - x.cost) / x.revenue * 100 if x.revenue else Decimal(0)
        rows.append(f"{x.date:%d-%m-%Y};{x.customer_id};{x.customer};{x.country};{x.city};"
                    f"{x.group};{x.rep};{x.quantity};{dutch_amount(x.revenue)};"
                    f"{str(percent).replace('.', ',')}%")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path


def write_xlsx(path: Path, lines: list[Line]) -> Path:
    """An .xlsx with real dates and numbers, no customer id and no sales rep, a margin
    amount; a second sheet that must be ignored."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Orders"
    sheet.append(["Date", "Customer", "Country", "City", "Product group", "Quantity",
                  "Revenue", "Gross margin"])
    for x in lines:
        sheet.append([dt.datetime.combine(x.date, dt.time()), x.customer, x.country, x.city,
                      x.group, x.quantity, float(x.revenue), float(x.revenue - x.cost)])
    book.create_sheet("Notes").append(["not", "an", "export"])
    book.save(path)
    return path


def expected_sales(lines: list[Line], city: bool = True) -> dict[tuple[str, str, str, str],
                                                                   tuple[Decimal, Decimal, int]]:
    """(month, customer name, product group, city) -> revenue, margin, quantity."""
    cells: dict[tuple[str, str, str, str], list] = defaultdict(
        lambda: [Decimal(0), Decimal(0), 0])
    for x in lines:
        cell = cells[(f"{x.date:%Y-%m}", x.customer, x.group, x.city if city else "")]
        cell[0] += x.revenue
        cell[1] += x.revenue - x.cost
        cell[2] += x.quantity
    return {k: (v[0], v[1], v[2]) for k, v in cells.items()}


def expected_years(lines: list[Line]) -> dict[int, Decimal]:
    years: dict[int, Decimal] = defaultdict(Decimal)
    for x in lines:
        years[x.date.year] += x.revenue
    return dict(years)
