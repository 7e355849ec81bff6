// Parses an iCalendar stream from stdin with ical.js (Thunderbird's parser) and
// prints the events as JSON: times as Unix seconds, all-day dates as YYYY-MM-DD.
import ICAL from "ical.js";

let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;

const calendar = new ICAL.Component(ICAL.parse(text));
const timezones = calendar.getAllSubcomponents("vtimezone");
for (const vtimezone of timezones) ICAL.TimezoneService.register(vtimezone);

function when(time) {
  return time.isDate ? time.toString() : time.toUnixTime();
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: when(event.startDate),
    end: when(event.endDate),
    is_date: event.startDate.isDate,
    tzid: event.startDate.isDate ? null : event.startDate.zone.tzid,
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
    description: event.description,
    location: event.location,
  };
});
const result = {
  name: calendar.getFirstPropertyValue("x-wr-calname"),
  method: calendar.getFirstPropertyValue("method"),
  timezones: timezones.map((tz) => tz.getFirstPropertyValue("tzid")),
  events,
};
process.stdout.write(JSON.stringify(result));
