create type job_state as enum ('queued', 'running', 'done', 'failed');
create schema extra;
create type extra.colour as enum ('r', 'g', 'b');
create type extra.size as enum ('m', 's', 'l');
create table jobs (id serial primary key, state job_state default 'running'::job_state, colour extra.colour, sizes extra.size[] default '{m}');
