"""The demo world behind `pregon demo`: organizations, people and tenders, built through the
services at chosen moments of the platform clock. See `world.build_demo`."""
