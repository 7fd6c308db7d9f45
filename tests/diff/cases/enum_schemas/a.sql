create type job_state as enum ('queued', 'running', 'done');
create schema extra;
create type extra.colour as enum ('r', 'g', 'b', 'x');
create type extra.size as enum ('s', 'm');
create table jobs (id serial primary key, state job_state default 'queued'::job_state, colour extra.colour, sizes extra.size[] default '{s}');
